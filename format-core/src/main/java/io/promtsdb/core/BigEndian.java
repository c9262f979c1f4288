package io.promtsdb.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Unchecked big-endian access to arrays, for codecs that have already bounds-checked the
 * range they read. Uses byte-array view handles, which the JIT turns into single loads.
 */
public final class BigEndian {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BigEndian() {}

  public static int getUnsignedShort(byte[] b, int off) {
    return (short) SHORT.get(b, off) & 0xFFFF;
  }

  public static int getInt(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  public static long getLong(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  public static void putShort(byte[] b, int off, int v) {
    SHORT.set(b, off, (short) v);
  }

  public static void putInt(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  public static void putLong(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }
}
