package io.workflowanalytics.query.compare.stats;

import java.util.List;

/**
 * The outcome of one two-sample test, shaped for the compare endpoint's JSON. Every number is finite (JSON carries
 * neither NaN nor Infinity); where a quantity is undefined the test reports a documented neutral value and says why
 * in {@code warnings}.
 *
 * @param test               {@link #WELCH_T}, {@link #MANN_WHITNEY_U} or {@link #TWO_PROPORTION_Z}
 * @param statistic          Welch's t or the two-proportion z, positive when the target is larger; or the
 *                           target's Mann–Whitney U, above n_b·n_t/2 when the target tends to be larger
 * @param pValue             two-sided p-value
 * @param difference         target minus baseline: of means, of histogram medians, or of proportions
 * @param confidenceLow      lower end of the confidence interval for {@code difference}
 * @param confidenceHigh     upper end of the confidence interval for {@code difference}
 * @param confidenceLevel    level of that interval, e.g. 0.95
 * @param effectSize         standardised effect, positive when the target is larger
 * @param effectSizeMeasure  {@link #HEDGES_G}, {@link #RANK_BISERIAL} or {@link #COHENS_H}
 * @param effectMagnitude    negligible, small, medium or large, per {@link EffectMagnitude}
 * @param baselineSampleSize observations (or trials) on the baseline side
 * @param targetSampleSize   observations (or trials) on the target side
 * @param sufficientSample   whether both sides meet the sample-size rule in {@link Verdict}
 * @param warnings           human-readable caveats, empty when there are none
 */
public record TestResult(String test, double statistic, double pValue, double difference, double confidenceLow,
                         double confidenceHigh, double confidenceLevel, double effectSize, String effectSizeMeasure,
                         String effectMagnitude, long baselineSampleSize, long targetSampleSize,
                         boolean sufficientSample, List<String> warnings) {

    public static final String WELCH_T = "welch_t";
    public static final String MANN_WHITNEY_U = "mann_whitney_u";
    public static final String TWO_PROPORTION_Z = "two_proportion_z";

    public static final String HEDGES_G = "hedges_g";
    public static final String RANK_BISERIAL = "rank_biserial";
    public static final String COHENS_H = "cohens_h";

    public TestResult {
        // A non-finite number here is a bug in a test, caught before it becomes unserialisable JSON.
        requireFinite("statistic", statistic);
        requireFinite("pValue", pValue);
        requireFinite("difference", difference);
        requireFinite("confidenceLow", confidenceLow);
        requireFinite("confidenceHigh", confidenceHigh);
        requireFinite("confidenceLevel", confidenceLevel);
        requireFinite("effectSize", effectSize);
        if (pValue < 0 || pValue > 1) {
            throw new IllegalArgumentException("pValue out of [0, 1]: " + pValue);
        }
        warnings = List.copyOf(warnings);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, was " + value);
        }
    }
}
