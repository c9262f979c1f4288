/** The {@code promtsdb} command line tool. */
module io.promtsdb.cli {
  requires io.promtsdb.engine;
  requires io.promtsdb.conformance;
  requires io.promtsdb.wal;
  requires info.picocli;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.lz4.java;
  requires aircompressor;

  exports io.promtsdb.cli;

  opens io.promtsdb.cli to
      info.picocli;
}
