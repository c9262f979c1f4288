package io.promtsdb.index;

import io.promtsdb.core.CorruptFormatException;
import java.nio.charset.StandardCharsets;

/**
 * The writer's symbol-to-reference lookup: a direct-mapped cache of fixed size in front of a
 * search of the symbol table just written (Prometheus keeps a map of every symbol instead).
 * Series arrive sorted, so names and low-cardinality values repeat and hit the cache.
 */
final class SymbolRefs {
  private final SymbolTable table;
  private final String[] keys;
  private final int[] refs;
  private final int shift;

  SymbolRefs(SymbolTable table, int cacheSize) {
    if (cacheSize < 2 || Integer.bitCount(cacheSize) != 1) {
      throw new IllegalArgumentException("cache size must be a power of two >= 2: " + cacheSize);
    }
    this.table = table;
    this.keys = new String[cacheSize];
    this.refs = new int[cacheSize];
    this.shift = 32 - Integer.numberOfTrailingZeros(cacheSize);
  }

  /** The reference of {@code symbol}; throws if it is not in the table. */
  long ref(String symbol) {
    int slot = (symbol.hashCode() * 0x9E3779B9) >>> shift;
    String k = keys[slot];
    if (k != null && (k == symbol || k.equals(symbol))) {
      return refs[slot];
    }
    int ref;
    try {
      ref = table.indexOf(symbol.getBytes(StandardCharsets.UTF_8), null);
    } catch (CorruptFormatException e) {
      throw new IllegalStateException("the symbol table just written does not read back", e);
    }
    if (ref < 0) {
      throw new IllegalArgumentException("symbol entry for \"" + symbol + "\" does not exist");
    }
    keys[slot] = symbol;
    refs[slot] = ref;
    return ref;
  }
}
