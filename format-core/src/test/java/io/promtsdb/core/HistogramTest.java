package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.InvalidHistogramException.Kind;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Prometheus' TestHistogramValidation table (model/histogram, 3.5.3), error texts included. */
class HistogramTest {
  private static final Span[] TWO_SPANS = {new Span(0, 2), new Span(1, 2)};

  static Stream<Arguments> validationCases() {
    return Stream.of(
        Arguments.of(
            "valid histogram",
            Histogram.builder().count(12).zeroCount(2).zeroThreshold(0.001).sum(19.4).schema(1)
                .positiveSpans(TWO_SPANS).positiveBuckets(1, 1, -1, 0)
                .negativeSpans(TWO_SPANS).negativeBuckets(1, 1, -1, 0).build(),
            null, null, false),
        Arguments.of(
            "NaN observations allow a count above the buckets",
            Histogram.builder().zeroCount(2).count(4).sum(Double.NaN)
                .positiveSpans(new Span(0, 1)).positiveBuckets(1).build(),
            null, null, false),
        Arguments.of(
            "count above the buckets without NaN",
            Histogram.builder().zeroCount(2).count(4).sum(333)
                .positiveSpans(new Span(0, 1)).positiveBuckets(1).build(),
            Kind.COUNT_MISMATCH,
            "3 observations found in buckets, but the Count field is 4: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)",
            true),
        Arguments.of(
            "too few negative buckets",
            Histogram.builder().negativeSpans(new Span(0, 1)).build(),
            Kind.SPANS_BUCKETS_MISMATCH,
            "negative side: spans need 1 buckets, have 0 buckets: histogram spans specify different number of buckets than provided",
            false),
        Arguments.of(
            "too few positive buckets",
            Histogram.builder().positiveSpans(new Span(0, 1)).build(),
            Kind.SPANS_BUCKETS_MISMATCH,
            "positive side: spans need 1 buckets, have 0 buckets: histogram spans specify different number of buckets than provided",
            false),
        Arguments.of(
            "too many negative buckets",
            Histogram.builder().negativeSpans(new Span(0, 1)).negativeBuckets(1, 2).build(),
            Kind.SPANS_BUCKETS_MISMATCH,
            "negative side: spans need 1 buckets, have 2 buckets: histogram spans specify different number of buckets than provided",
            false),
        Arguments.of(
            "negative span offset",
            Histogram.builder().negativeSpans(new Span(-1, 1), new Span(-1, 1)).negativeBuckets(1, 2).build(),
            Kind.SPAN_NEGATIVE_OFFSET,
            "negative side: span number 2 with offset -1: histogram has a span whose offset is negative",
            false),
        Arguments.of(
            "positive span offset",
            Histogram.builder().positiveSpans(new Span(-1, 1), new Span(-1, 1)).positiveBuckets(1, 2).build(),
            Kind.SPAN_NEGATIVE_OFFSET,
            "positive side: span number 2 with offset -1: histogram has a span whose offset is negative",
            false),
        Arguments.of(
            "negative bucket count",
            Histogram.builder().negativeSpans(new Span(-1, 1)).negativeBuckets(-1).build(),
            Kind.NEGATIVE_BUCKET_COUNT,
            "negative side: bucket number 1 has observation count of -1: histogram has a bucket whose observation count is negative",
            false),
        Arguments.of(
            "positive bucket count",
            Histogram.builder().positiveSpans(new Span(-1, 1)).positiveBuckets(-1).build(),
            Kind.NEGATIVE_BUCKET_COUNT,
            "positive side: bucket number 1 has observation count of -1: histogram has a bucket whose observation count is negative",
            false),
        Arguments.of(
            "count below the buckets",
            Histogram.builder().negativeSpans(new Span(-1, 1)).positiveSpans(new Span(-1, 1))
                .negativeBuckets(1).positiveBuckets(1).build(),
            Kind.COUNT_MISMATCH,
            "2 observations found in buckets, but the Count field is 0: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)",
            true),
        Arguments.of(
            "exponential buckets with the custom schema",
            Histogram.builder().count(12).zeroCount(2).zeroThreshold(0.001).sum(19.4)
                .schema(Histogram.CUSTOM_BUCKETS_SCHEMA)
                .positiveSpans(TWO_SPANS).positiveBuckets(1, 1, -1, 0)
                .negativeSpans(TWO_SPANS).negativeBuckets(1, 1, -1, 0).build(),
            Kind.CUSTOM_BUCKETS_MISMATCH,
            "custom buckets: only 0 custom bounds defined which is insufficient to cover total span length of 5: histogram custom bounds are too few",
            false),
        Arguments.of(
            "custom bounds with an exponential schema",
            Histogram.builder().count(5).sum(19.4).schema(0)
                .positiveSpans(TWO_SPANS).positiveBuckets(1, 1, -1, 0).customValues(1, 2, 3, 4).build(),
            Kind.EXPONENTIAL_SCHEMA_CUSTOM_BOUNDS,
            "histogram with exponential schema must not have custom bounds",
            true),
        Arguments.of(
            "custom buckets with a zero bucket",
            Histogram.builder().count(12).zeroCount(2).zeroThreshold(0.001).sum(19.4)
                .schema(Histogram.CUSTOM_BUCKETS_SCHEMA)
                .positiveSpans(TWO_SPANS).positiveBuckets(1, 1, -1, 0)
                .negativeSpans(TWO_SPANS).negativeBuckets(1, 1, -1, 0).customValues(1, 2, 3, 4).build(),
            Kind.CUSTOM_BUCKETS_ZERO_COUNT,
            "custom buckets: must have zero count of 0",
            true),
        Arguments.of(
            "custom buckets, negative first offset",
            custom(new Span[] {new Span(-1, 2), new Span(1, 2)}, new long[] {1, 1, -1, 0}, 1, 2, 3, 4),
            Kind.SPAN_NEGATIVE_OFFSET,
            "custom buckets: span number 1 with offset -1: histogram has a span whose offset is negative",
            false),
        Arguments.of(
            "custom buckets, negative later offset",
            custom(new Span[] {new Span(0, 2), new Span(-1, 2)}, new long[] {1, 1, -1, 0}, 1, 2, 3, 4),
            Kind.SPAN_NEGATIVE_OFFSET,
            "custom buckets: span number 2 with offset -1: histogram has a span whose offset is negative",
            false),
        Arguments.of(
            "custom buckets, bucket count mismatch",
            custom(TWO_SPANS, new long[] {1, 1, -1}, 1, 2, 3, 4),
            Kind.SPANS_BUCKETS_MISMATCH,
            "custom buckets: spans need 4 buckets, have 3 buckets: histogram spans specify different number of buckets than provided",
            false),
        Arguments.of(
            "custom buckets, too few bounds",
            custom(TWO_SPANS, new long[] {1, 1, -1, 0}, 1, 2, 3),
            Kind.CUSTOM_BUCKETS_MISMATCH,
            "custom buckets: only 3 custom bounds defined which is insufficient to cover total span length of 5: histogram custom bounds are too few",
            false),
        Arguments.of("valid custom buckets", custom(TWO_SPANS, new long[] {1, 1, -1, 0}, 1, 2, 3, 4), null, null, false),
        Arguments.of(
            "valid custom buckets, extra bounds",
            custom(TWO_SPANS, new long[] {1, 1, -1, 0}, 1, 2, 3, 4, 5, 6, 7, 8), null, null, false),
        Arguments.of(
            "custom bounds not increasing",
            custom(TWO_SPANS, new long[] {1, 1, -1, 0}, 1, 2, 2, 4),
            Kind.CUSTOM_BUCKETS_INVALID, null, false),
        Arguments.of(
            "custom bounds ending in +Inf",
            custom(TWO_SPANS, new long[] {1, 1, -1, 0}, 1, 2, 3, Double.POSITIVE_INFINITY),
            Kind.CUSTOM_BUCKETS_INFINITE, null, false));
  }

  private static Histogram custom(Span[] spans, long[] buckets, double... bounds) {
    return Histogram.builder().count(5).sum(19.4).schema(Histogram.CUSTOM_BUCKETS_SCHEMA)
        .positiveSpans(spans).positiveBuckets(buckets).customValues(bounds).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validationCases")
  void validationMatchesGo(String name, Histogram h, Kind kind, String message, boolean skipFloat) {
    check(h::validate, kind, message);
    if (!skipFloat) {
      check(h.toFloatHistogram()::validate, kind, message);
    }
  }

  private static void check(Runnable validate, Kind kind, String message) {
    if (kind == null) {
      assertThatCode(validate::run).doesNotThrowAnyException();
      return;
    }
    var a =
        assertThatThrownBy(validate::run)
            .isInstanceOfSatisfying(InvalidHistogramException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    if (message != null) {
      a.hasMessage(message);
    }
  }

  @Test
  void toFloatCumulatesDeltasAndDropsTheZeroBucketForCustomSchemas() {
    Histogram h = Histogram.builder().counterResetHint(CounterResetHint.GAUGE).schema(1)
        .count(12).zeroCount(2).zeroThreshold(0.001).sum(19.4)
        .positiveSpans(TWO_SPANS).positiveBuckets(1, 1, -1, 0)
        .negativeSpans(TWO_SPANS).negativeBuckets(2, -1, 0, 3).build();
    FloatHistogram f = h.toFloatHistogram();
    assertThat(f.positiveBuckets()).containsExactly(1, 2, 1, 1);
    assertThat(f.negativeBuckets()).containsExactly(2, 1, 1, 4);
    assertThat(f.count()).isEqualTo(12);
    assertThat(f.zeroCount()).isEqualTo(2);
    assertThat(f.zeroThreshold()).isEqualTo(0.001);
    assertThat(f.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
    assertThat(f.positiveSpans()).containsExactly(TWO_SPANS);

    FloatHistogram c = custom(TWO_SPANS, new long[] {1, 1, -1, 0}, 1, 2, 3, 4).toFloatHistogram();
    assertThat(c.customValues()).containsExactly(1, 2, 3, 4);
    assertThat(c.negativeBucketCount()).isZero();
    assertThat(c.zeroThreshold()).isZero();
  }

  @Test
  void uint64CountsConvertLikeGo() {
    // float64(uint64(1<<63 + 1025)) rounds to even: 2^63 + 2048.
    long u = Long.MIN_VALUE + 1025;
    Histogram h = Histogram.builder().count(u).sum(Double.NaN).build();
    assertThat(h.toFloatHistogram().count()).isEqualTo(9.223372036854778E18);
    assertThat(Histogram.unsignedToDouble(-1L)).isEqualTo(1.8446744073709552E19);
    assertThat(Histogram.unsignedToDouble(Long.MIN_VALUE + 1024)).isEqualTo(9.223372036854775808E18);
  }

  @Test
  void equalityIsByRawBits() {
    Histogram a = Histogram.builder().sum(Values.STALE_NAN).build();
    Histogram b = Histogram.builder().sum(Double.NaN).build();
    assertThat(a.isStale()).isTrue();
    assertThat(b.isStale()).isFalse();
    assertThat(a).isNotEqualTo(b);
    assertThat(a).isEqualTo(Histogram.builder().sum(Values.STALE_NAN).build());
    assertThat(a.withCounterResetHint(CounterResetHint.UNKNOWN)).isSameAs(a);
  }

  @Property
  void schemasClassify(@ForAll @IntRange(min = -60, max = 60) int schema) {
    assertThat(Histogram.isValidSchema(schema))
        .isEqualTo(schema == -53 || (schema >= -4 && schema <= 8));
    assertThat(Histogram.isKnownSchema(schema))
        .isEqualTo(schema == -53 || (schema >= -9 && schema <= 52));
  }

  @Test
  void counterResetHintCodesAreTheWalBytes() {
    for (CounterResetHint h : CounterResetHint.values()) {
      assertThat(CounterResetHint.fromCode(h.code())).isSameAs(h);
    }
    assertThat(CounterResetHint.UNKNOWN.code()).isZero();
    assertThat(CounterResetHint.COUNTER_RESET.code()).isEqualTo(1);
    assertThat(CounterResetHint.NOT_COUNTER_RESET.code()).isEqualTo(2);
    assertThat(CounterResetHint.GAUGE.code()).isEqualTo(3);
    assertThat(CounterResetHint.fromCode(4)).isNull();
  }

  @Test
  void staleMarkerBits() {
    assertThat(Double.doubleToRawLongBits(Values.STALE_NAN)).isEqualTo(0x7ff0000000000002L);
    assertThat(Values.isStaleNaN(Double.longBitsToDouble(Values.NORMAL_NAN_BITS))).isFalse();
    assertThat(Values.isStaleNaN(Values.STALE_NAN)).isTrue();
  }
}
