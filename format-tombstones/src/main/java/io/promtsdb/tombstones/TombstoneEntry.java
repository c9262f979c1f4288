package io.promtsdb.tombstones;

/**
 * One entry of a tombstones file: the series reference and one deleted interval. A series
 * with several intervals has several entries with the same reference.
 *
 * @param ref the series reference, an unsigned 64-bit value (block index series ID, or a head
 *     series reference inside a memory snapshot)
 */
public record TombstoneEntry(long ref, long mint, long maxt) {
  public Interval interval() {
    return new Interval(mint, maxt);
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(ref) + ":[" + mint + ", " + maxt + "]";
  }
}
