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

    void add(double value) {
        BigDecimal stored = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP);
        double v = stored.doubleValue();
        count++;
        sum = sum.add(stored);
        sumOfSquares += v * v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sketch.add(v);
    }
}
