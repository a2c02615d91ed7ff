package io.workflowanalytics.query.compare.stats;

/**
 * The first two moments of a duration metric as a rollup keeps them: count, sum and sum of squares.
 *
 * @param n            number of observations
 * @param sum          Σx
 * @param sumOfSquares Σx²
 */
public record Moments(long n, double sum, double sumOfSquares) {

    public Moments {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (!Double.isFinite(sum) || !Double.isFinite(sumOfSquares)) {
            throw new IllegalArgumentException("sum and sumOfSquares must be finite");
        }
    }

    /** The moments of raw values (for tests and small in-memory inputs). */
    public static Moments of(double... values) {
        double sum = 0;
        double sumOfSquares = 0;
        for (double v : values) {
            sum += v;
            sumOfSquares += v * v;
        }
        return new Moments(values.length, sum, sumOfSquares);
    }

    /** Σx / n; 0 when there are no observations. */
    public double mean() {
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Sample variance (Σx² − (Σx)²/n) / (n − 1); 0 when n &lt; 2. Cancellation can leave a tiny negative number
     * where the true variance is zero, so the result is clamped at 0.
     */
    public double variance() {
        if (n < 2) {
            return 0;
        }
        double centred = sumOfSquares - sum * (sum / n);
        return Math.max(0, centred / (n - 1));
    }

    /** √variance(). */
    public double standardDeviation() {
        return Math.sqrt(variance());
    }
}
