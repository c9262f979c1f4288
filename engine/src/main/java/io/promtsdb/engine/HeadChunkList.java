package io.promtsdb.engine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A series' head chunks, oldest first, the last being appended to (Go's {@code headChunks}
 * list). A series almost always has exactly one: a cut adds a second until the commit m-maps
 * the full one. So the newest is a field (one load from the series on every append, no list
 * object and backing array per series) and the older ones go into an array made when needed.
 *
 * <p>Not thread-safe: guarded by the series' monitor like the rest of {@link MemSeries}.
 */
final class HeadChunkList implements Iterable<MemChunk> {
  private MemChunk last;
  /** {@code older[0, olderCount)}: the chunks before {@link #last}, oldest first. */
  private MemChunk[] older;
  private int olderCount;

  int size() {
    return last == null ? 0 : olderCount + 1;
  }

  boolean isEmpty() {
    return last == null;
  }

  /** The newest chunk, null if there is none. */
  MemChunk last() {
    return last;
  }

  MemChunk get(int i) {
    if (last != null && i == olderCount) {
      return last;
    }
    if (i < 0 || i >= olderCount) {
      throw new IndexOutOfBoundsException("head chunk " + i + " of " + size());
    }
    return older[i];
  }

  /** Appends {@code c} as the newest chunk. */
  void add(MemChunk c) {
    if (last != null) {
      if (older == null) {
        older = new MemChunk[2];
      } else if (olderCount == older.length) {
        older = Arrays.copyOf(older, olderCount * 2);
      }
      older[olderCount++] = last;
    }
    last = c;
  }

  /** Removes the {@code n} oldest chunks. */
  void removeFirst(int n) {
    int size = size();
    if (n < 0 || n > size) {
      throw new IndexOutOfBoundsException("remove " + n + " of " + size + " head chunks");
    }
    if (n == size) {
      clear();
      return;
    }
    System.arraycopy(older, n, older, 0, olderCount - n);
    Arrays.fill(older, olderCount - n, olderCount, null);
    olderCount -= n;
    if (olderCount == 0) {
      older = null; // a second chunk is rare: do not keep the array
    }
  }

  void clear() {
    last = null;
    older = null;
    olderCount = 0;
  }

  @Override
  public Iterator<MemChunk> iterator() {
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < size();
      }

      @Override
      public MemChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return get(i++);
      }
    };
  }
}
