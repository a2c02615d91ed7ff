package io.workflowanalytics.query.compare.stats;

/**
 * Labels an effect size by the usual conventions, on its absolute value:
 * <ul>
 *   <li>Hedges' g and Cohen's h (Cohen 1988): below 0.2 negligible, below 0.5 small, below 0.8 medium, else
 *   large;</li>
 *   <li>rank-biserial correlation (Cohen's thresholds for a correlation r): below 0.1 negligible, below 0.3 small,
 *   below 0.5 medium, else large.</li>
 * </ul>
 */
public final class EffectMagnitude {

    public static final String NEGLIGIBLE = "negligible";
    public static final String SMALL = "small";
    public static final String MEDIUM = "medium";
    public static final String LARGE = "large";

    /** Thresholds for Hedges' g and Cohen's h. */
    public static final double D_SMALL = 0.2;
    public static final double D_MEDIUM = 0.5;
    public static final double D_LARGE = 0.8;

    /** Thresholds for the rank-biserial correlation. */
    public static final double R_SMALL = 0.1;
    public static final double R_MEDIUM = 0.3;
    public static final double R_LARGE = 0.5;

    private EffectMagnitude() {
    }

    /** The label for {@code effectSize} measured as {@code measure} (one of TestResult's measure names). */
    public static String of(String measure, double effectSize) {
        double a = Math.abs(effectSize);
        return switch (measure) {
            case TestResult.HEDGES_G, TestResult.COHENS_H -> label(a, D_SMALL, D_MEDIUM, D_LARGE);
            case TestResult.RANK_BISERIAL -> label(a, R_SMALL, R_MEDIUM, R_LARGE);
            default -> throw new IllegalArgumentException("unknown effect size measure: " + measure);
        };
    }

    private static String label(double a, double small, double medium, double large) {
        if (a < small) {
            return NEGLIGIBLE;
        }
        if (a < medium) {
            return SMALL;
        }
        return a < large ? MEDIUM : LARGE;
    }
}
