package io.workflowanalytics.query.rollup;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a batch adds to one rollup row: count, exact sum, sum of squares, min, max and the sketch. Values are taken
 * at the raw store's precision (DECIMAL(15,6), rounded half up as PostgreSQL does) so that sums equal a SUM over
 * the raw table exactly.
 */
public final class RollupDelta {

    long count;
    /**
     * The exact sum in millionths (the stored precision) while it fits a long; what overflowed moves to
     * {@code spilled}. A BigDecimal add per metric and row was a visible share of the fold's allocations.
     */
    private long sumMicros;
    private BigDecimal spilled = BigDecimal.ZERO;
    double sumOfSquares;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    final QuantileSketch sketch = new QuantileSketch();

    /** Adds a value already at the raw store's precision ({@link #stored}, and its {@link #micros}), with its slot. */
    void add(BigDecimal stored, long micros, double v, int slot) {
        count++;
        if (micros == NOT_A_LONG) {
            spilled = spilled.add(stored);
        } else {
            try {
                sumMicros = Math.addExact(sumMicros, micros);
            } catch (ArithmeticException overflow) {
                spilled = spilled.add(BigDecimal.valueOf(sumMicros, 6));
                sumMicros = micros;
            }
        }
        sumOfSquares += v * v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sketch.addToSlot(slot, 1);
    }

    BigDecimal sum() {
        return spilled.add(BigDecimal.valueOf(sumMicros, 6));
    }

    /** Marks a value too large for millionths in a long (none within DECIMAL(15,6), which metrics-ingest enforces). */
    static final long NOT_A_LONG = Long.MIN_VALUE;

    /** A stored value in millionths, or NOT_A_LONG. */
    static long micros(BigDecimal stored) {
        try {
            long micros = stored.movePointRight(6).longValueExact();
            return micros == NOT_A_LONG ? NOT_A_LONG : micros;
        } catch (ArithmeticException tooLarge) {
            return NOT_A_LONG;
        }
    }

    /** The value as the raw store keeps it (DECIMAL(15,6), half up). */
    static BigDecimal stored(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP);
    }
}
