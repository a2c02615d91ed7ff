package io.workflowanalytics.query.rollup;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Count, exact sum, sum of squares, min, max and (when asked for) the merged sketch of some rollup rows.
 * An empty aggregate answers zeros, so a workflow without data gets well-formed, empty views.
 */
public record Aggregate(long count, BigDecimal sum, double sumOfSquares, double min, double max,
                        QuantileSketch sketch) {

    public static final Aggregate EMPTY = new Aggregate(0, BigDecimal.ZERO, 0, 0, 0, new QuantileSketch());

    /** Both together; the sketches merge into a new one. */
    public Aggregate plus(Aggregate other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        QuantileSketch merged = new QuantileSketch();
        if (sketch != null) {
            merged.merge(sketch);
        }
        if (other.sketch != null) {
            merged.merge(other.sketch);
        }
        return new Aggregate(count + other.count, sum.add(other.sum), sumOfSquares + other.sumOfSquares,
                Math.min(min, other.min), Math.max(max, other.max), merged);
    }

    public double mean() {
        return count == 0 ? 0 : sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue();
    }

    public double total() {
        return sum.doubleValue();
    }

    /** Sample variance from the moments (0 below two values). */
    public double variance() {
        if (count < 2) {
            return 0;
        }
        double m = mean();
        return Math.max(0, (sumOfSquares - count * m * m) / (count - 1));
    }

    public double quantile(double q) {
        if (count == 0 || sketch == null) {
            return 0;
        }
        // The sketch's bucket value can lie a hair outside the observed extremes; the true quantile cannot.
        return Math.max(min, Math.min(max, sketch.quantile(q)));
    }
}
