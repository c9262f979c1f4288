package io.promtsdb.engine;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * A head querier whose every step that reads head structures (postings, series, chunk lists)
 * runs under the head's read lock, so that a commit applying at the same time is seen either
 * wholly or not at all; sample iterators work on copies and need no lock.
 */
final class LockedQuerier implements Querier {
  private final Querier in;
  private final Lock lock;

  LockedQuerier(Querier in, Lock lock) {
    this.in = in;
    this.lock = lock;
  }

  @Override
  public SeriesSet select(boolean sortSeries, List<Matcher> matchers) throws IOException {
    SeriesSet ss;
    lock.lock();
    try {
      ss = in.select(sortSeries, matchers);
    } finally {
      lock.unlock();
    }
    return new SeriesSet() {
      @Override
      public boolean next() throws IOException {
        lock.lock();
        try {
          return ss.next();
        } finally {
          lock.unlock();
        }
      }

      @Override
      public Series at() {
        Series s = ss.at();
        return new Series() {
          @Override
          public io.promtsdb.core.Labels labels() {
            return s.labels();
          }

          @Override
          public SampleIterator iterator(SampleIterator reuse) {
            lock.lock();
            try {
              return s.iterator(reuse);
            } finally {
              lock.unlock();
            }
          }
        };
      }

      @Override
      public List<String> warnings() {
        return ss.warnings();
      }
    };
  }

  @Override
  public List<String> labelValues(String name, List<Matcher> matchers) throws IOException {
    lock.lock();
    try {
      return in.labelValues(name, matchers);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> labelNames(List<Matcher> matchers) throws IOException {
    lock.lock();
    try {
      return in.labelNames(matchers);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
