package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Postings operations against a naive set model: every combination, iterated with an
 * arbitrary mix of next and seek, gives what a TreeSet says.
 */
class PostingsProperties {

  /** A sorted set of refs, and how to present it (array list or big-endian bytes). */
  record Input(long[] refs, boolean bytes) {
    Postings postings() {
      if (refs.length == 0) {
        return Postings.empty();
      }
      if (!bytes) {
        return Postings.of(refs);
      }
      ByteBuffer b = ByteBuffer.allocate(4 * refs.length);
      for (long r : refs) {
        b.putInt((int) r);
      }
      return new BigEndianPostings(b.flip(), refs.length);
    }

    TreeSet<Long> model() {
      TreeSet<Long> s = new TreeSet<>();
      for (long r : refs) {
        s.add(r);
      }
      return s;
    }

    @Override
    public String toString() {
      return (bytes ? "bytes" : "list") + java.util.Arrays.toString(refs);
    }
  }

  @Provide
  Arbitrary<Input> input() {
    // Dense and sparse sets over small and large ranges (uint32 for byte lists).
    Arbitrary<Long> bound = Arbitraries.of(16L, 200L, 5000L, 1L << 32);
    return Combinators.combine(bound, Arbitraries.integers().between(0, 300), Arbitraries.longs(), Arbitraries.of(true, false))
        .as(
            (max, n, seed, bytes) -> {
              Random rnd = new Random(seed);
              TreeSet<Long> s = new TreeSet<>();
              for (int i = 0; i < n; i++) {
                s.add((long) (rnd.nextDouble() * max));
              }
              return new Input(s.stream().mapToLong(Long::longValue).toArray(), bytes);
            });
  }

  @Provide
  Arbitrary<List<Input>> inputs() {
    return input().list().ofMinSize(0).ofMaxSize(20);
  }

  @Property
  void intersectAgreesWithTheModel(@ForAll("inputs") List<Input> in, @ForAll long seed) {
    NavigableSet<Long> model = null;
    List<Postings> ps = new ArrayList<>();
    for (Input i : in) {
      ps.add(i.postings());
      if (model == null) {
        model = i.model();
      } else {
        model.retainAll(i.model());
      }
    }
    check(Postings.intersect(ps), model == null ? new TreeSet<>() : model, seed);
  }

  @Property
  void mergeAgreesWithTheModel(@ForAll("inputs") List<Input> in, @ForAll long seed) {
    TreeSet<Long> model = new TreeSet<>();
    List<Postings> ps = new ArrayList<>();
    for (Input i : in) {
      ps.add(i.postings());
      model.addAll(i.model());
    }
    check(Postings.merge(ps), model, seed);
  }

  @Property
  void mergeOfManyDenseListsAgreesWithTheModel(
      @ForAll @IntRange(min = 8, max = 60) int k, @ForAll long seed, @ForAll boolean seekFirst) {
    Random rnd = new Random(seed);
    TreeSet<Long> model = new TreeSet<>();
    List<Postings> ps = new ArrayList<>();
    long base = rnd.nextInt(1000);
    for (int i = 0; i < k; i++) {
      TreeSet<Long> s = new TreeSet<>();
      int n = rnd.nextInt(50);
      for (int j = 0; j < n; j++) {
        s.add(base + rnd.nextInt(2000));
      }
      Input in = new Input(s.stream().mapToLong(Long::longValue).toArray(), rnd.nextBoolean());
      ps.add(in.postings());
      model.addAll(s);
    }
    Postings m = Postings.merge(ps);
    if (seekFirst && !model.isEmpty()) {
      // A first seek keeps the loser tree; a first next materialises the bitmap.
      long target = model.first() + rnd.nextInt(100);
      Long expected = model.ceiling(target);
      assertThat(m.seek(target)).isEqualTo(expected == null ? Postings.END : expected);
      model = new TreeSet<>(model.tailSet(target, true));
      check(m, model, seed, true);
    } else {
      check(m, model, seed);
    }
  }

  @Property
  void withoutAgreesWithTheModel(
      @ForAll("input") Input full, @ForAll("inputs") List<Input> drops, @ForAll long seed) {
    TreeSet<Long> model = full.model();
    List<Postings> ps = new ArrayList<>();
    for (Input d : drops) {
      ps.add(d.postings());
      model.removeAll(d.model());
    }
    check(Postings.without(full.postings(), Postings.merge(ps)), model, seed);
  }

  @Property
  void nestedCombinationsAgreeWithTheModel(
      @ForAll("input") Input a, @ForAll("input") Input b, @ForAll("input") Input c,
      @ForAll("input") Input d, @ForAll long seed) {
    // (a ∪ b) ∩ c − d, the shape of {x=~"a|b", y="c", z!="d"}
    TreeSet<Long> model = a.model();
    model.addAll(b.model());
    model.retainAll(c.model());
    model.removeAll(d.model());
    Postings p =
        Postings.without(
            Postings.intersect(Postings.merge(a.postings(), b.postings()), c.postings()),
            d.postings());
    check(p, model, seed);
  }

  @Property
  void listSeekGallopsToTheRightPlace(
      @ForAll("input") Input in, @ForAll @LongRange(min = 0, max = 1L << 33) long target) {
    Postings p = in.postings();
    Long expected = in.model().ceiling(target);
    assertThat(p.seek(target)).isEqualTo(expected == null ? Postings.END : expected);
    assertThat(p.at()).isEqualTo(expected == null ? Postings.END : expected);
    // Seeking backwards never moves.
    assertThat(p.seek(0)).isEqualTo(p.at());
  }

  /** Walks {@code p} with a seeded mix of next and seek and compares with {@code model}. */
  static void check(Postings p, NavigableSet<Long> model, long seed) {
    assertThat(p.at()).isIn(Postings.NOT_STARTED, Postings.END);
    check(p, model, seed, false);
  }

  private static void check(Postings p, NavigableSet<Long> model, long seed, boolean started) {
    Random rnd = new Random(seed);
    long cur = started ? p.at() : -1;
    if (started && cur != Postings.END) {
      assertThat(model.first()).isEqualTo(cur);
    }
    long last = started ? cur : -1;
    List<Long> seen = new ArrayList<>();
    if (started && cur != Postings.END) {
      seen.add(cur);
    }
    for (int steps = 0; steps < 10_000; steps++) {
      long v;
      long expected;
      if (rnd.nextInt(3) == 0) {
        long target = last < 0 ? rnd.nextInt(50) : last + rnd.nextInt(300);
        v = p.seek(target);
        Long e = last >= target ? Long.valueOf(last) : model.ceiling(target);
        expected = e == null ? Postings.END : e;
      } else {
        v = p.next();
        Long e = last < 0 ? (model.isEmpty() ? null : model.first()) : model.higher(last);
        expected = e == null ? Postings.END : e;
      }
      assertThat(v).as("step %d after %d", steps, last).isEqualTo(expected);
      assertThat(p.at()).isEqualTo(v);
      if (v == Postings.END) {
        assertThat(p.next()).isEqualTo(Postings.END);
        assertThat(p.seek(0)).isEqualTo(Postings.END);
        return;
      }
      if (v != last) {
        seen.add(v);
      }
      last = v;
    }
  }
}
