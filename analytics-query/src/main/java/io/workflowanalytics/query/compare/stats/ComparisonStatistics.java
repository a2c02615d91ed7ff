package io.workflowanalytics.query.compare.stats;

import java.util.List;

/**
 * Picks and runs the test for one compared metric.
 *
 * <p>Durations: Welch's t-test when both sides have at least {@link Verdict#MIN_OBSERVATIONS_PER_SIDE}
 * observations and neither is strongly skewed, else Mann–Whitney U on the histograms. Skew is measured by the proxy
 * |mean − median| / sd (a third of Pearson's second skewness coefficient); above {@link #MAX_SKEW_FOR_WELCH} the
 * mean is a poor summary and a rank test is the safer choice. Latency distributions are usually right-skewed, so
 * expect Mann–Whitney to be the common case. When a side has no histogram, only Welch can run. Callers that want a
 * particular test can call {@link WelchTTest} or {@link MannWhitneyUTest} directly.
 *
 * <p>Rates: the two-proportion z-test.
 */
public final class ComparisonStatistics {

    /** Largest |mean − median| / sd on either side for which Welch's t-test is used. */
    public static final double MAX_SKEW_FOR_WELCH = 0.2;

    private ComparisonStatistics() {
    }

    /** Compares a duration metric, choosing the test as the class comment describes. */
    public static TestResult compareDurations(Moments baselineMoments, List<Bucket> baselineHistogram,
                                              Moments targetMoments, List<Bucket> targetHistogram,
                                              double confidenceLevel) {
        if (useWelch(baselineMoments, baselineHistogram, targetMoments, targetHistogram)) {
            return WelchTTest.test(baselineMoments, targetMoments, confidenceLevel);
        }
        return MannWhitneyUTest.test(baselineHistogram, targetHistogram, confidenceLevel);
    }

    /** Compares a success rate. */
    public static TestResult compareRates(long baselineSuccesses, long baselineTrials, long targetSuccesses,
                                          long targetTrials, double confidenceLevel) {
        return TwoProportionZTest.test(baselineSuccesses, baselineTrials, targetSuccesses, targetTrials,
                confidenceLevel);
    }

    /** Whether {@link #compareDurations} would use Welch's t-test (true) or Mann–Whitney U (false). */
    public static boolean useWelch(Moments baselineMoments, List<Bucket> baselineHistogram, Moments targetMoments,
                                   List<Bucket> targetHistogram) {
        boolean histograms = Histograms.total(baselineHistogram) > 0 && Histograms.total(targetHistogram) > 0;
        if (!histograms) {
            return true;
        }
        return Verdict.enoughObservations(baselineMoments.n()) && Verdict.enoughObservations(targetMoments.n())
                && Math.abs(skewness(baselineMoments, baselineHistogram)) <= MAX_SKEW_FOR_WELCH
                && Math.abs(skewness(targetMoments, targetHistogram)) <= MAX_SKEW_FOR_WELCH;
    }

    /** The skew proxy (mean − median) / sd, the median from the histogram; 0 when sd is 0. */
    public static double skewness(Moments moments, List<Bucket> histogram) {
        double sd = moments.standardDeviation();
        if (sd == 0) {
            return 0;
        }
        return (moments.mean() - Histograms.median(Histograms.normalise(histogram))) / sd;
    }
}
