package io.promtsdb.engine;

import java.util.ArrayList;
import java.util.Comparator;

/**
 * Go's {@code container/heap} over a list, step for step: the same sift-up and sift-down, so
 * that among equal elements the same one comes out first as in Prometheus. That decides which
 * of two samples with the same timestamp a merge keeps, and in which order series with equal
 * labels are chained.
 */
final class GoHeap<T> {
  private final ArrayList<T> h = new ArrayList<>();
  private final Comparator<? super T> less;

  GoHeap(Comparator<? super T> less) {
    this.less = less;
  }

  int size() {
    return h.size();
  }

  boolean isEmpty() {
    return h.isEmpty();
  }

  T peek() {
    return h.get(0);
  }

  void clear() {
    h.clear();
  }

  /** {@code heap.Push}. */
  void push(T x) {
    h.add(x);
    up(h.size() - 1);
  }

  /** {@code heap.Pop}. */
  T pop() {
    int n = h.size() - 1;
    swap(0, n);
    down(0, n);
    return h.remove(n);
  }

  private boolean less(int i, int j) {
    return less.compare(h.get(i), h.get(j)) < 0;
  }

  private void swap(int i, int j) {
    T t = h.get(i);
    h.set(i, h.get(j));
    h.set(j, t);
  }

  private void up(int j) {
    while (true) {
      int i = (j - 1) / 2; // parent; Go's division truncates toward zero, as Java's does
      if (i == j || !less(j, i)) {
        break;
      }
      swap(i, j);
      j = i;
    }
  }

  private void down(int i0, int n) {
    int i = i0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less(j2, j1)) {
        j = j2;
      }
      if (!less(j, i)) {
        break;
      }
      swap(i, j);
      i = j;
    }
  }
}
