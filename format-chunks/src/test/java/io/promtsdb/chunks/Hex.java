package io.promtsdb.chunks;

import java.util.HexFormat;

/** Hex helpers for tests. */
final class Hex {
  private Hex() {}

  static byte[] decode(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String encode(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static String encode(Chunk c) {
    return encode(c.copyBytes());
  }
}
