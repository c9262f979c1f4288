package io.promtsdb.chunks;

/**
 * Start-timestamp encoding of the ST histogram chunks (Go's {@code stEncoder} in
 * {@code st.go}), appended after each sample's histogram bits. Byte 2 of the chunk is the ST
 * header: bit 7 set when sample 0 has an ST, bits 6-0 the index of the first sample that
 * stores an ST difference.
 *
 * <pre>
 * sample 0            if st != 0: varint(t0 - st0) as bytes; header bit 7
 * first change at i   (st differs from the previous sample's, or i == 127 even if not):
 *                     &lt;varbit_int&gt;(t(i-1) - st(i)); header bits 6-0 = i
 * every later sample  &lt;varbit_int&gt; of the change of t(i-1) - st(i)
 * </pre>
 */
final class StEncoder {
  static final int MAX_FIRST_ST_CHANGE_ON = 0x7F;

  long st;
  long stDiff;
  int firstSTChangeOn;
  boolean firstSTKnown;

  /**
   * Writes the ST data of the sample that made the count {@code num}; {@code headerIndex} is
   * the byte holding the ST header.
   */
  void encode(BitWriter w, int headerIndex, int num, long curT, long prevT, long st) {
    if (num == 1) {
      if (st != 0) {
        w.writeVarintBytes(curT - st);
        firstSTKnown = true;
        w.setByte(headerIndex, 0x80);
      }
    } else if (num == 2) {
      if (st != this.st) {
        long d = prevT - st;
        firstSTChangeOn = 1;
        w.setByte(headerIndex, w.getByte(headerIndex) | 1);
        Varbit.putInt(w, d);
        stDiff = d;
      }
    } else if (firstSTChangeOn == 0) {
      if (st != this.st || num - 1 == MAX_FIRST_ST_CHANGE_ON) {
        long d = prevT - st;
        firstSTChangeOn = num - 1;
        w.setByte(headerIndex, w.getByte(headerIndex) | (num - 1));
        Varbit.putInt(w, d);
        stDiff = d;
      }
    } else {
      long d = prevT - st;
      Varbit.putInt(w, d - stDiff);
      stDiff = d;
    }
    this.st = st;
  }

  void reset() {
    st = 0;
    stDiff = 0;
    firstSTChangeOn = 0;
    firstSTKnown = false;
  }
}
