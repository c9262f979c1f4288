package io.promtsdb.index;

/** The shared empty postings list, always at {@link Postings#END}. */
final class EmptyPostings implements Postings {
  static final EmptyPostings INSTANCE = new EmptyPostings();

  private EmptyPostings() {}

  @Override
  public long at() {
    return END;
  }

  @Override
  public long next() {
    return END;
  }

  @Override
  public long seek(long target) {
    return END;
  }

  @Override
  public long cost() {
    return 0;
  }

  @Override
  public String toString() {
    return "EmptyPostings";
  }
}
