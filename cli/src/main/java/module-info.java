/** The {@code promtsdb} command line tool. */
module io.promtsdb.cli {
  requires io.promtsdb.engine;
  requires info.picocli;

  exports io.promtsdb.cli;

  opens io.promtsdb.cli to
      info.picocli;
}
