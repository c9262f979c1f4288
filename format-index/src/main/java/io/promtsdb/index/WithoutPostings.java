package io.promtsdb.index;

/** The references of {@code full} that are not in {@code drop}. */
final class WithoutPostings implements Postings {
  private final Postings full;
  private final Postings drop;
  private long cur = NOT_STARTED;

  WithoutPostings(Postings full, Postings drop) {
    this.full = full;
    this.drop = drop;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long next() {
    if (cur == END) {
      return END;
    }
    return cur = skipDropped(full.next());
  }

  @Override
  public long seek(long target) {
    long c = cur;
    if (c != NOT_STARTED && c >= target) {
      return c;
    }
    return cur = skipDropped(full.seek(target));
  }

  private long skipDropped(long v) {
    while (v != END && drop.seek(v) == v) {
      v = full.next();
    }
    return v;
  }

  @Override
  public long cost() {
    return full.cost();
  }

  @Override
  public String toString() {
    return "Without[at " + cur + "]";
  }
}
