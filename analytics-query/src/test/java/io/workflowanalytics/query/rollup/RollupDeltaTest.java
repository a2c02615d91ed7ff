package io.workflowanalytics.query.rollup;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A delta's sum is exact at the stored precision, past what millionths in a long hold and for values beyond it. */
class RollupDeltaTest {

    @Test
    void theSumIsExactWhenMillionthsOverflowALong() {
        RollupDelta delta = new RollupDelta();
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < 12_000; i++) {
            double v = i % 3 == 0 ? 999_999_999.999999 : 123_456.654321 + i;
            BigDecimal stored = RollupDelta.stored(v);
            delta.add(stored, RollupDelta.micros(stored), stored.doubleValue(), QuantileSketch.slot(v));
            expected = expected.add(stored);
        }
        assertEquals(0, expected.compareTo(delta.sum()), expected + " vs " + delta.sum());
        assertEquals(12_000, delta.count);
    }

    @Test
    void aValueBeyondMillionthsInALongIsSummedExactly() {
        RollupDelta delta = new RollupDelta();
        BigDecimal huge = RollupDelta.stored(1e20);
        assertEquals(RollupDelta.NOT_A_LONG, RollupDelta.micros(huge));
        delta.add(huge, RollupDelta.micros(huge), 1e20, QuantileSketch.slot(1e20));
        BigDecimal small = RollupDelta.stored(0.5);
        delta.add(small, RollupDelta.micros(small), 0.5, QuantileSketch.slot(0.5));
        assertEquals(0, huge.add(small).compareTo(delta.sum()));
    }
}
