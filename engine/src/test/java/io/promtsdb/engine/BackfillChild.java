package io.promtsdb.engine;

import java.nio.file.Path;

/**
 * Runs {@link Backfill#fromOpenMetrics} in a child JVM with a small heap ({@link
 * BackfillTest}): prints one line {@code ULID numSamples} per block written.
 */
public final class BackfillChild {
  private BackfillChild() {}

  public static void main(String[] args) throws Exception {
    Backfill.Options options = Backfill.Options.DEFAULT.withBlockListener(
        meta -> System.out.println(meta.ulid() + " " + meta.stats().numSamples()));
    Backfill.fromOpenMetrics(Path.of(args[0]), Path.of(args[1]), options);
  }
}
