package io.workflowanalytics.query.compare.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/** Small shared helpers for the tests in this package. */
final class StatMath {

    /** Standard normal; no random generator because nothing here samples from it. */
    static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private StatMath() {
    }

    static void checkConfidenceLevel(double confidenceLevel) {
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidenceLevel must be in (0, 1): " + confidenceLevel);
        }
    }

    /** z such that P(|Z| ≤ z) = confidenceLevel. */
    static double zCritical(double confidenceLevel) {
        return STANDARD_NORMAL.inverseCumulativeProbability(1 - (1 - confidenceLevel) / 2);
    }

    /** 2·Φ(−|z|), computed on the lower tail so small p-values keep their precision. */
    static double twoSidedNormalP(double z) {
        return Math.min(1, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /**
     * Maps ±Infinity to ±{@link Double#MAX_VALUE} (an unbounded statistic stays recognisably huge and keeps its
     * sign) and NaN to {@code ifNaN}.
     */
    static double finite(double x, double ifNaN) {
        if (Double.isNaN(x)) {
            return ifNaN;
        }
        if (Double.isInfinite(x)) {
            return Math.copySign(Double.MAX_VALUE, x);
        }
        return x;
    }
}
