package io.workflowanalytics.query.compare.stats;

import io.workflowanalytics.common.events.WireEnum;

/**
 * What a comparison concludes, travelling as lower_snake_case ({@code significant_regression}).
 *
 * <p>Sample-size rule, applied by each test when it sets {@link TestResult#sufficientSample()}: every side needs at
 * least {@link #MIN_OBSERVATIONS_PER_SIDE} observations; for proportions, instead, every side needs at least
 * {@link #MIN_EXPECTED_OUTCOMES} expected successes and expected failures (trials × pooled rate, and trials ×
 * (1 − pooled rate)), the usual condition for the normal approximation.
 */
public enum Verdict implements WireEnum {
    SIGNIFICANT_IMPROVEMENT,
    SIGNIFICANT_REGRESSION,
    NO_SIGNIFICANT_DIFFERENCE,
    INSUFFICIENT_DATA;

    /** Fewest observations per side for a duration comparison to be trusted. */
    public static final long MIN_OBSERVATIONS_PER_SIDE = 30;

    /** Fewest expected successes, and expected failures, per side for a proportion comparison to be trusted. */
    public static final double MIN_EXPECTED_OUTCOMES = 10;

    /** The significance level used when a caller has no reason to choose another. */
    public static final double DEFAULT_ALPHA = 0.05;

    /**
     * Decides the verdict: {@link #INSUFFICIENT_DATA} when the sample rule failed; otherwise significant when
     * p &lt; alpha, in the direction of the effect size (whose sign is what each test actually tests: mean shift,
     * rank shift or rate difference), falling back to the sign of the difference; an improvement when that
     * direction is the good one for the metric.
     *
     * @param alpha          significance level in (0, 1)
     * @param higherIsBetter true for success rates and throughput, false for durations and error rates
     */
    public static Verdict of(TestResult result, double alpha, boolean higherIsBetter) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
        }
        if (!result.sufficientSample()) {
            return INSUFFICIENT_DATA;
        }
        if (!(result.pValue() < alpha)) {
            return NO_SIGNIFICANT_DIFFERENCE;
        }
        double direction = result.effectSize() != 0 ? Math.signum(result.effectSize())
                : Math.signum(result.difference());
        if (direction == 0) {
            return NO_SIGNIFICANT_DIFFERENCE;
        }
        return (direction > 0) == higherIsBetter ? SIGNIFICANT_IMPROVEMENT : SIGNIFICANT_REGRESSION;
    }

    /** Whether a side of {@code n} observations meets {@link #MIN_OBSERVATIONS_PER_SIDE}. */
    static boolean enoughObservations(long n) {
        return n >= MIN_OBSERVATIONS_PER_SIDE;
    }

    /** The warning for a side below {@link #MIN_OBSERVATIONS_PER_SIDE}. */
    static String fewObservationsWarning(String side, long n) {
        return side + " has " + n + " observation" + (n == 1 ? "" : "s") + "; at least " + MIN_OBSERVATIONS_PER_SIDE
                + " per side are needed for a reliable comparison";
    }
}
