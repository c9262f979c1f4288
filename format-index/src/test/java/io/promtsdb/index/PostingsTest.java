package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Postings cases from Prometheus' postings_test.go, and the strategy switches. */
class PostingsTest {

  @Test
  void multiMerge() {
    // TestMultiMerge
    Postings m =
        Postings.merge(
            Postings.of(1, 2, 3, 4, 5, 6, 1000, 1001),
            Postings.of(2, 4, 5, 6, 7, 8, 999, 1001),
            Postings.of(1, 2, 5, 6, 7, 8, 1001, 1200));
    assertThat(Postings.expand(m)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 999, 1000, 1001, 1200);
  }

  @Test
  void multiIntersect() {
    // TestMultiIntersect
    assertThat(
            Postings.expand(
                Postings.intersect(
                    Postings.of(1, 2, 3, 4, 5, 6, 1000, 1001),
                    Postings.of(2, 4, 5, 6, 7, 8, 999, 1001),
                    Postings.of(1, 2, 5, 6, 7, 8, 1001, 1200))))
        .containsExactly(2, 5, 6, 1001);
    assertThat(
            Postings.expand(
                Postings.intersect(
                    Postings.of(1, 2, 3, 4, 5, 6, 1000, 1001),
                    Postings.of(2, 4, 5, 6, 7, 8, 999, 1001),
                    Postings.of(1, 2, 5, 6, 7, 8, 1001, 1200),
                    Postings.of(1000, 1001))))
        .containsExactly(1001);
  }

  @Test
  void removedPostings() {
    // TestRemovedPostings
    assertThat(Postings.expand(Postings.without(Postings.of(1, 2, 3, 4, 5, 6), Postings.of(2, 4, 6, 7))))
        .containsExactly(1, 3, 5);
    assertThat(Postings.without(Postings.empty(), Postings.of(1))).isSameAs(Postings.empty());
    Postings full = Postings.of(1, 2);
    assertThat(Postings.without(full, Postings.empty())).isSameAs(full);
  }

  @Test
  void removedNextStackoverflow() {
    // TestRemovedNextStackoverflow: a long run of removed postings must not recurse.
    long[] all = new long[1_000_000];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    Postings rp = Postings.without(Postings.of(all), Postings.of(all));
    assertThat(rp.next()).isEqualTo(Postings.END);
  }

  @Test
  void removedPostingsSeek() {
    // TestRemovedPostingsSeek
    Postings rp = Postings.without(Postings.of(2, 3, 4, 5, 6, 7, 8, 9, 10), Postings.of(4, 5, 6, 8));
    assertThat(rp.seek(5)).isEqualTo(7);
    assertThat(rp.seek(3)).isEqualTo(7);
    assertThat(rp.next()).isEqualTo(9);
    assertThat(rp.next()).isEqualTo(10);
    assertThat(rp.next()).isEqualTo(Postings.END);
  }

  @Test
  void emptyInputsShortCircuit() {
    assertThat(Postings.intersect()).isSameAs(Postings.empty());
    assertThat(Postings.intersect(Postings.of(1, 2), Postings.empty())).isSameAs(Postings.empty());
    assertThat(Postings.merge()).isSameAs(Postings.empty());
    assertThat(Postings.merge(Postings.empty(), Postings.empty())).isSameAs(Postings.empty());
    Postings one = Postings.of(3);
    assertThat(Postings.merge(Postings.empty(), one)).isSameAs(one);
    assertThat(Postings.intersect(one)).isSameAs(one);
    assertThat(Postings.of()).isSameAs(Postings.empty());
    assertThat(Postings.empty().at()).isEqualTo(Postings.END);
  }

  @Test
  void listsMustBeStrictlyAscendingAndNonNegative() {
    assertThatThrownBy(() -> Postings.of(1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Postings.of(2, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Postings.of(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void intersectLeadsWithTheCheapestInput() {
    long[] big = new long[100_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = 2L * i;
    }
    CountingPostings small = new CountingPostings(Postings.of(10, 5000, 77_776, 150_000));
    CountingPostings large = new CountingPostings(Postings.of(big));
    assertThat(Postings.expand(Postings.intersect(large, small))).containsExactly(10, 5000, 77_776, 150_000);
    // The small list leads with next; the big one only follows with seeks.
    assertThat(large.nexts).isZero();
    assertThat(large.seeks).isLessThanOrEqualTo(5);
  }

  @Test
  void mergeOfManyDenseListsIsMaterialisedOnlyWhenIteratedFromTheStart() {
    List<Postings> lists = new ArrayList<>();
    List<Postings> lists2 = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long[] refs = new long[100];
      for (int j = 0; j < 100; j++) {
        refs[j] = i + 20L * j;
      }
      lists.add(Postings.of(refs));
      lists2.add(Postings.of(refs.clone()));
    }
    MergePostings viaNext = (MergePostings) Postings.merge(lists);
    assertThat(viaNext.next()).isZero();
    assertThat(viaNext.materialised()).isTrue();
    assertThat(Postings.count(viaNext)).isEqualTo(1999);

    MergePostings viaSeek = (MergePostings) Postings.merge(lists2);
    assertThat(viaSeek.seek(1000)).isEqualTo(1000);
    assertThat(viaSeek.materialised()).isFalse();
    assertThat(Postings.count(viaSeek)).isEqualTo(999);
  }

  @Test
  void sparseManyListMergesStayLazy() {
    List<Postings> lists = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lists.add(Postings.of(i, i + 1_000_000_000L));
    }
    MergePostings m = (MergePostings) Postings.merge(lists);
    assertThat(m.next()).isZero();
    assertThat(m.materialised()).isFalse();
    assertThat(Postings.count(m)).isEqualTo(19);
  }

  @Test
  void expandAndCount() {
    assertThat(Postings.expand(Postings.of(5, 7, 9))).containsExactly(5, 7, 9);
    assertThat(Postings.count(Postings.of(5, 7, 9))).isEqualTo(3);
    assertThat(Postings.expand(Postings.empty())).isEmpty();
  }

  /** Counts calls, to see which input leads. */
  static final class CountingPostings implements Postings {
    private final Postings d;
    int nexts;
    int seeks;

    CountingPostings(Postings d) {
      this.d = d;
    }

    @Override
    public long at() {
      return d.at();
    }

    @Override
    public long next() {
      nexts++;
      return d.next();
    }

    @Override
    public long seek(long target) {
      seeks++;
      return d.seek(target);
    }

    @Override
    public long cost() {
      return d.cost();
    }
  }
}
