package io.promtsdb.tombstones;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalsTest {
  static final long MIN = Long.MIN_VALUE;
  static final long MAX = Long.MAX_VALUE;

  static List<Interval> parse(String s) {
    List<Interval> out = new ArrayList<>();
    if (s.isBlank()) {
      return out;
    }
    for (String p : s.trim().split(" ")) {
      String[] mm = p.split(":");
      out.add(new Interval(bound(mm[0]), bound(mm[1])));
    }
    return out;
  }

  static long bound(String s) {
    return switch (s) {
      case "MIN" -> MIN;
      case "MAX" -> MAX;
      default -> Long.parseLong(s);
    };
  }

  /**
   * Results of upstream main's {@code Intervals.Add} (tsdb/tombstones/tombstones.go, run with
   * Go 1.25), adding each interval in turn to an empty list.
   */
  @ParameterizedTest
  @CsvSource({
    "1:2 4:5 3:3, 1:5",
    "10:20 0:5 6:9, 0:20",
    "10:20 30:40 21:29, 10:40",
    "10:20 30:40 50:60 25:35, 10:20 25:40 50:60",
    "10:20 MIN:5, MIN:5 10:20",
    "10:20 MIN:10, MIN:20",
    "10:20 30:40 15:MAX, 10:MAX",
    "10:20 22:25, 10:20 22:25",
    "10:20 5:8, 5:8 10:20",
    "10:20 5:9, 5:20",
    "10:20 21:21, 10:21",
    "10:20 30:40 MIN:MAX, MIN:MAX",
    "10:20 30:40 5:MAX, 5:MAX",
    "10:20 30:40 MIN:25, MIN:25 30:40",
  })
  void matchesGoAdd(String adds, String expected) {
    assertThat(Intervals.merged(parse(adds)).asList()).isEqualTo(parse(expected));
  }

  /** Go panics here (index out of range); the natural merge is the only sensible result. */
  @ParameterizedTest
  @CsvSource({"10:20 30:40 35:MAX, 10:20 30:MAX", "10:20 30:40 45:MAX, 10:20 30:40 45:MAX"})
  void openEndedIntervalPastTheFirstMerges(String adds, String expected) {
    assertThat(Intervals.merged(parse(adds)).asList()).isEqualTo(parse(expected));
  }

  @Property(tries = 300)
  void addKeepsSortedDisjointNonAdjacentAndCoversTheUnion(
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 60) Integer> starts,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 8) Integer> lengths) {
    int n = Math.min(starts.size(), lengths.size());
    Intervals in = Intervals.EMPTY;
    TreeSet<Long> covered = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      long a = starts.get(i);
      long b = a + lengths.get(i);
      in = in.add(new Interval(a, b));
      for (long t = a; t <= b; t++) {
        covered.add(t);
      }
    }
    TreeSet<Long> got = new TreeSet<>();
    for (int i = 0; i < in.size(); i++) {
      assertThat(in.mint(i)).isLessThanOrEqualTo(in.maxt(i));
      if (i > 0) {
        assertThat(in.mint(i)).as("gap to previous").isGreaterThan(in.maxt(i - 1) + 1);
      }
      for (long t = in.mint(i); t <= in.maxt(i); t++) {
        got.add(t);
      }
    }
    assertThat(got).isEqualTo(covered);
  }

  @Property(tries = 200)
  void addNeverMutatesTheReceiver(
      @ForAll @IntRange(min = -5, max = 50) int a, @ForAll @IntRange(min = 0, max = 20) int len) {
    Intervals base = Intervals.merged(parse("0:5 10:15 30:40"));
    String before = base.toString();
    base.add(new Interval(a, a + len));
    assertThat(base.toString()).isEqualTo(before);
  }
}
