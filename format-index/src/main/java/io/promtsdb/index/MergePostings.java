package io.promtsdb.index;

/**
 * The union of two or more postings without duplicates, through a loser tree (the structure
 * Prometheus 3 uses, {@code go-loser}): each step replays one leaf-to-root path, log2(k)
 * comparisons.
 *
 * <p>A merge of many lists ({@value #BITMAP_MIN_INPUTS} or more) whose first access is
 * {@link #next()} will be read to the end anyway (it leads an intersection, or is expanded),
 * so when the lists are dense enough (at least one reference per 64 of their range) it is
 * materialised into a bitmap in one linear pass instead. A merge first accessed by {@link
 * #seek} (a follower in an intersection) stays lazy.
 */
final class MergePostings implements Postings {
  static final int BITMAP_MIN_INPUTS = 8;

  private final Postings[] its;
  private final int k;
  private long cur = NOT_STARTED;
  // Loser tree: tree[0] is the leaf holding the smallest pending reference, tree[1..k-1]
  // the losers of the internal nodes; leaf i sits at node k + i. pending[i] is the next
  // reference of input i not yet returned (END when exhausted).
  private int[] tree;
  private long[] pending;
  // Set instead of the tree when materialised.
  private Postings bitmap;

  MergePostings(Postings[] its) {
    this.its = its;
    this.k = its.length;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long next() {
    if (tree == null) {
      if (bitmap != null) {
        return cur = bitmap.next();
      }
      if (cur == NOT_STARTED && tryMaterialise()) {
        return cur = bitmap.next();
      }
      if (tree == null) {
        init(-1);
      }
    }
    return cur = pop();
  }

  @Override
  public long seek(long target) {
    long c = cur;
    if (c != NOT_STARTED && c >= target) {
      return c;
    }
    if (bitmap != null) {
      return cur = bitmap.seek(target);
    }
    if (tree == null) {
      init(target);
      return cur = pop();
    }
    final long[] p = pending;
    int w = tree[0];
    while (p[w] < target) {
      p[w] = its[w].seek(target);
      replay(w);
      w = tree[0];
    }
    return cur = pop();
  }

  // Returns the smallest pending reference and drops every leaf holding it.
  private long pop() {
    final long[] p = pending;
    int w = tree[0];
    long v = p[w];
    if (v == END) {
      return END;
    }
    do {
      p[w] = its[w].next();
      replay(w);
      w = tree[0];
    } while (p[w] == v);
    return v;
  }

  private void init(long target) {
    pending = new long[k];
    for (int i = 0; i < k; i++) {
      pending[i] = target < 0 ? its[i].next() : its[i].seek(target);
    }
    tree = new int[k];
    int[] winners = new int[2 * k];
    for (int i = 0; i < k; i++) {
      winners[k + i] = i;
    }
    for (int node = k - 1; node >= 1; node--) {
      int a = winners[2 * node];
      int b = winners[2 * node + 1];
      if (less(b, a)) {
        int t = a;
        a = b;
        b = t;
      }
      winners[node] = a;
      tree[node] = b;
    }
    tree[0] = winners[1];
  }

  private boolean less(int a, int b) {
    long va = pending[a];
    long vb = pending[b];
    return va < vb || (va == vb && a < b);
  }

  private void replay(int leaf) {
    final int[] t = tree;
    final long[] p = pending;
    int winner = leaf;
    long wv = p[leaf];
    for (int node = (leaf + k) >>> 1; node > 0; node >>>= 1) {
      int loser = t[node];
      long lv = p[loser];
      if (lv < wv || (lv == wv && loser < winner)) {
        t[node] = winner;
        winner = loser;
        wv = lv;
      }
    }
    t[0] = winner;
  }

  private boolean tryMaterialise() {
    if (k < BITMAP_MIN_INPUTS) {
      return false;
    }
    long lo = Long.MAX_VALUE;
    long hi = -1;
    long total = 0;
    for (Postings p : its) {
      if (!(p instanceof SortedRefList l) || p.at() != NOT_STARTED) {
        return false;
      }
      int n = l.remaining();
      if (n == 0) {
        continue;
      }
      lo = Math.min(lo, l.peekNext());
      hi = Math.max(hi, l.last());
      total += n;
    }
    if (total == 0) {
      bitmap = Postings.empty();
      return true;
    }
    long words = ((hi - lo) >>> 6) + 1;
    if (words > total || words > Integer.MAX_VALUE - 8) {
      return false;
    }
    long[] bits = new long[(int) words];
    for (Postings p : its) {
      ((SortedRefList) p).orRemainingInto(bits, lo);
    }
    bitmap = new BitmapPostings(bits, lo, total);
    return true;
  }

  /** Whether the merge was materialised into a bitmap (for tests). */
  boolean materialised() {
    return bitmap != null;
  }

  @Override
  public long cost() {
    if (bitmap != null) {
      return bitmap.cost();
    }
    long sum = 0;
    for (Postings p : its) {
      sum += p.cost();
      if (sum < 0) {
        return Long.MAX_VALUE;
      }
    }
    return sum;
  }

  @Override
  public String toString() {
    return "Merge[" + k + " inputs, at " + cur + "]";
  }
}
