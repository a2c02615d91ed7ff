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
    BigDecimal sum = BigDecimal.ZERO;
    double sumOfSquares;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    final QuantileSketch sketch = new QuantileSketch();

    /** Adds a value already at the raw store's precision ({@link #stored}), with its sketch slot. */
    void add(BigDecimal stored, double v, int slot) {
        count++;
        sum = sum.add(stored);
        sumOfSquares += v * v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sketch.addToSlot(slot, 1);
    }

    /** The value as the raw store keeps it (DECIMAL(15,6), half up). */
    static BigDecimal stored(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP);
    }
}
