package io.workflowanalytics.query.compare.stats;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.ArrayList;
import java.util.List;

/**
 * Welch's unequal-variance t-test from rollup moments.
 *
 * <pre>
 *   d   = mean_t − mean_b
 *   se  = √(v_b/n_b + v_t/n_t)                       (v = sample variance)
 *   t   = d / se
 *   df  = se⁴ / ((v_b/n_b)²/(n_b−1) + (v_t/n_t)²/(n_t−1))   (Welch–Satterthwaite)
 *   p   = 2·P(T_df &gt; |t|)
 *   CI  = d ± t_{df, 1−(1−level)/2} · se
 *   g   = J · d / s_pooled,  s_pooled = √(((n_b−1)v_b + (n_t−1)v_t)/(n_b+n_t−2)),  J = 1 − 3/(4(n_b+n_t) − 9)
 * </pre>
 *
 * Edge cases: with fewer than 2 observations on a side nothing is computable and the result is t = 0, p = 1,
 * g = 0, a zero-width interval at the difference of whatever means exist, sufficientSample = false. With zero
 * variance on both sides the difference is exact: p = 1 if the means are equal, else p = 0 and t, g are reported
 * as ±{@link Double#MAX_VALUE}, with a warning.
 */
public final class WelchTTest {

    private WelchTTest() {
    }

    public static TestResult test(Moments baseline, Moments target, double confidenceLevel) {
        StatMath.checkConfidenceLevel(confidenceLevel);
        List<String> warnings = new ArrayList<>();
        long nb = baseline.n();
        long nt = target.n();
        boolean sufficient = Verdict.enoughObservations(nb) && Verdict.enoughObservations(nt);
        if (!Verdict.enoughObservations(nb)) {
            warnings.add(Verdict.fewObservationsWarning("baseline", nb));
        }
        if (!Verdict.enoughObservations(nt)) {
            warnings.add(Verdict.fewObservationsWarning("target", nt));
        }
        double difference = nb > 0 && nt > 0 ? target.mean() - baseline.mean() : 0;

        if (nb < 2 || nt < 2) {
            warnings.add("Welch's t-test needs at least 2 observations on each side; it was not computed");
            return result(0, 1, difference, difference, difference, confidenceLevel, 0, nb, nt, false, warnings);
        }

        double vb = baseline.variance() / nb;
        double vt = target.variance() / nt;
        double se2 = vb + vt;
        if (se2 == 0) {
            if (difference == 0) {
                warnings.add("both sides have zero variance and equal means");
                return result(0, 1, 0, 0, 0, confidenceLevel, 0, nb, nt, sufficient, warnings);
            }
            warnings.add("both sides have zero variance and different means: the difference is exact, so the "
                    + "t statistic and effect size are unbounded and reported as the largest finite number");
            double unbounded = Math.copySign(Double.MAX_VALUE, difference);
            return result(unbounded, 0, difference, difference, difference, confidenceLevel, unbounded, nb, nt,
                    sufficient, warnings);
        }

        double se = Math.sqrt(se2);
        double t = difference / se;
        // Welch's df always lies in [min(n)−1, n_b+n_t−2]; clamping also covers underflow in vb², vt².
        double df = se2 * se2 / (vb * vb / (nb - 1) + vt * vt / (nt - 1));
        double minDf = Math.min(nb, nt) - 1;
        double maxDf = nb + nt - 2;
        df = Double.isNaN(df) ? maxDf : Math.max(minDf, Math.min(maxDf, df));
        TDistribution tDistribution = new TDistribution(null, df);
        double p = Math.min(1, 2 * tDistribution.cumulativeProbability(-Math.abs(t)));
        double margin = tDistribution.inverseCumulativeProbability(1 - (1 - confidenceLevel) / 2) * se;

        double pooledVariance = ((nb - 1) * baseline.variance() + (nt - 1) * target.variance()) / (nb + nt - 2);
        double correction = 1 - 3.0 / (4.0 * (nb + nt) - 9);
        double g = correction * difference / Math.sqrt(pooledVariance);

        return result(StatMath.finite(t, 0), StatMath.finite(p, 1), difference, difference - margin,
                difference + margin, confidenceLevel, StatMath.finite(g, 0), nb, nt, sufficient, warnings);
    }

    private static TestResult result(double t, double p, double difference, double low, double high,
                                     double confidenceLevel, double g, long nb, long nt, boolean sufficient,
                                     List<String> warnings) {
        return new TestResult(TestResult.WELCH_T, t, p, difference, low, high, confidenceLevel, g,
                TestResult.HEDGES_G, EffectMagnitude.of(TestResult.HEDGES_G, g), nb, nt, sufficient, warnings);
    }
}
