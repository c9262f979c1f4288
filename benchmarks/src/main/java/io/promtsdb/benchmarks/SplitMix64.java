package io.promtsdb.benchmarks;

/**
 * The SplitMix64 generator: a few lines that are trivial to port, so the Go side of a
 * benchmark (see {@code benchmarks/go}) can generate exactly the same data from the same
 * seed. Every benchmark's data comes from here, seeded.
 */
public final class SplitMix64 {
  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  public long next() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A value in {@code [0, bound)} for {@code bound > 0} (modulo; bias is irrelevant here). */
  public long nextBelow(long bound) {
    return Long.remainderUnsigned(next(), bound);
  }
}
