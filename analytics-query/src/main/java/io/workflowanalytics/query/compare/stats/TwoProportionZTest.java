package io.workflowanalytics.query.compare.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two-proportion z-test for success rates.
 *
 * <pre>
 *   p_b = s_b/n_b,  p_t = s_t/n_t,  d = p_t − p_b
 *   p̄   = (s_b+s_t)/(n_b+n_t)
 *   z   = d / √(p̄(1−p̄)(1/n_b + 1/n_t))              (pooled standard error: the one under H₀)
 *   p   = 2·Φ(−|z|)
 *   h   = 2·asin√p_t − 2·asin√p_b                    (Cohen's h)
 * </pre>
 *
 * The confidence interval is Newcombe's hybrid score interval (Newcombe 1998, method 10), built from each side's
 * Wilson interval (l, u): [d − √((p_t−l_t)² + (u_b−p_b)²), d + √((u_t−p_t)² + (p_b−l_b)²)]. Unlike the Wald
 * interval it stays inside [−1, 1] and keeps a sensible width at rates of 0 or 1.
 *
 * <p>Edge cases: a side with no trials makes the test not computable (z = 0, p = 1, difference 0, interval
 * [−1, 1]). When both sides are all successes or all failures the pooled SE is zero and the rates are equal:
 * z = 0, p = 1.
 */
public final class TwoProportionZTest {

    private TwoProportionZTest() {
    }

    public static TestResult test(long baselineSuccesses, long baselineTrials, long targetSuccesses,
                                  long targetTrials, double confidenceLevel) {
        StatMath.checkConfidenceLevel(confidenceLevel);
        check("baseline", baselineSuccesses, baselineTrials);
        check("target", targetSuccesses, targetTrials);
        List<String> warnings = new ArrayList<>();
        if (baselineTrials == 0 || targetTrials == 0) {
            warnings.add("the two-proportion test needs trials on both sides; it was not computed");
            return result(0, 1, 0, -1, 1, confidenceLevel, 0, baselineTrials, targetTrials, false, warnings);
        }

        double pb = (double) baselineSuccesses / baselineTrials;
        double pt = (double) targetSuccesses / targetTrials;
        double pooled = (double) (baselineSuccesses + targetSuccesses) / (baselineTrials + targetTrials);
        boolean sufficient = enoughExpected("baseline", baselineTrials, pooled, warnings)
                & enoughExpected("target", targetTrials, pooled, warnings);

        double difference = pt - pb;
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / baselineTrials + 1.0 / targetTrials));
        double z;
        double p;
        if (se == 0) {
            warnings.add("both sides are all " + (pooled == 0 ? "failures" : "successes")
                    + ", so the rates cannot differ");
            z = 0;
            p = 1;
        } else {
            z = difference / se;
            p = StatMath.twoSidedNormalP(z);
        }

        double zc = StatMath.zCritical(confidenceLevel);
        double[] wb = wilson(baselineSuccesses, baselineTrials, zc);
        double[] wt = wilson(targetSuccesses, targetTrials, zc);
        double low = difference - Math.hypot(pt - wt[0], wb[1] - pb);
        double high = difference + Math.hypot(wt[1] - pt, pb - wb[0]);

        double h = 2 * Math.asin(Math.sqrt(pt)) - 2 * Math.asin(Math.sqrt(pb));
        return result(z, p, difference, Math.max(-1, low), Math.min(1, high), confidenceLevel, h, baselineTrials,
                targetTrials, sufficient, warnings);
    }

    /** Wilson score interval {low, high} for s successes in n trials. */
    static double[] wilson(long s, long n, double z) {
        double p = (double) s / n;
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4 * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static boolean enoughExpected(String side, long trials, double pooled, List<String> warnings) {
        double successes = trials * pooled;
        double failures = trials * (1 - pooled);
        if (successes >= Verdict.MIN_EXPECTED_OUTCOMES && failures >= Verdict.MIN_EXPECTED_OUTCOMES) {
            return true;
        }
        warnings.add(String.format(Locale.ROOT,
                "%s expects %.1f successes and %.1f failures at the pooled rate; at least %.0f of each per side "
                        + "are needed for the normal approximation", side, successes, failures,
                Verdict.MIN_EXPECTED_OUTCOMES));
        return false;
    }

    private static void check(String side, long successes, long trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(side + ": need 0 ≤ successes ≤ trials, got " + successes + "/"
                    + trials);
        }
    }

    private static TestResult result(double z, double p, double difference, double low, double high,
                                     double confidenceLevel, double h, long nb, long nt, boolean sufficient,
                                     List<String> warnings) {
        return new TestResult(TestResult.TWO_PROPORTION_Z, z, p, difference, low, high, confidenceLevel, h,
                TestResult.COHENS_H, EffectMagnitude.of(TestResult.COHENS_H, h), nb, nt, sufficient, warnings);
    }
}
