package io.workflowanalytics.query.compare.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Mann–Whitney U (Wilcoxon rank-sum) test on two bucket histograms, never expanded into samples: one merge walk
 * over the buckets in value order, O(b log b) for b buckets. Observations of equal value, in one bucket or in
 * buckets of equal value on the two sides, are ties and share their midrank.
 *
 * <pre>
 *   U_t  = Σ over target observations of (#baseline below it + ½·#baseline equal to it)
 *   μ    = n_b·n_t / 2
 *   σ²   = n_b·n_t/12 · ((N+1) − Σ(c³−c) / (N(N−1)))     N = n_b+n_t, c = size of each tie group
 *   z    = sign(U_t−μ) · max(0, |U_t−μ| − ½) / σ        (continuity correction)
 *   p    = 2·Φ(−|z|)
 *   r    = 2·U_t/(n_b·n_t) − 1                           rank-biserial, &gt; 0 when the target tends to be larger
 * </pre>
 *
 * The reported difference is median(target) − median(baseline) from the histograms. Its confidence interval is
 * difference ± z_level·√(se_b² + se_t²), where each se is the McKean–Schrader standard error of a sample median,
 * (X₍ₙ₋c₊₁₎ − X₍c₎)/(2·1.96) with c = round((n+1)/2 − 1.96·√(n/4)): an interval centred on the reported
 * difference, needing two order statistics per side, and asymptotically valid without any shift assumption (a
 * Hodges–Lehmann interval would estimate a different quantity, the median of pairwise differences). Its resolution
 * is that of the sketch (about 1% of the value).
 *
 * <p>If every observation is tied the test is not informative: z = 0, p = 1, with a warning.
 */
public final class MannWhitneyUTest {

    private MannWhitneyUTest() {
    }

    /** The test with tie and continuity corrections, as recommended for the normal approximation. */
    public static TestResult test(List<Bucket> baseline, List<Bucket> target, double confidenceLevel) {
        return test(baseline, target, confidenceLevel, true, true);
    }

    /**
     * The test with either correction switchable, e.g. both off to match commons-math3's
     * {@code MannWhitneyUTest}, which applies neither.
     */
    public static TestResult test(List<Bucket> baseline, List<Bucket> target, double confidenceLevel,
                                  boolean tieCorrection, boolean continuityCorrection) {
        StatMath.checkConfidenceLevel(confidenceLevel);
        List<Bucket> b = Histograms.normalise(baseline);
        List<Bucket> t = Histograms.normalise(target);
        long nb = Histograms.total(b);
        long nt = Histograms.total(t);
        List<String> warnings = new ArrayList<>();
        boolean sufficient = Verdict.enoughObservations(nb) && Verdict.enoughObservations(nt);
        if (!Verdict.enoughObservations(nb)) {
            warnings.add(Verdict.fewObservationsWarning("baseline", nb));
        }
        if (!Verdict.enoughObservations(nt)) {
            warnings.add(Verdict.fewObservationsWarning("target", nt));
        }
        if (nb == 0 || nt == 0) {
            warnings.add("the Mann-Whitney U test needs observations on both sides; it was not computed");
            return result(0, 1, 0, 0, 0, confidenceLevel, 0, nb, nt, false, warnings);
        }

        // One merge walk in value order: U of the target and the tie term.
        double uTarget = 0;
        double tieTerm = 0;
        long baselineBelow = 0;
        int distinct = 0;
        int i = 0;
        int j = 0;
        while (i < b.size() || j < t.size()) {
            double v = j >= t.size() || (i < b.size() && b.get(i).value() <= t.get(j).value())
                    ? b.get(i).value() : t.get(j).value();
            long cb = i < b.size() && b.get(i).value() == v ? b.get(i++).count() : 0;
            long ct = j < t.size() && t.get(j).value() == v ? t.get(j++).count() : 0;
            uTarget += ct * (baselineBelow + cb / 2.0);
            double c = cb + ct;
            tieTerm += c * c * c - c;
            baselineBelow += cb;
            distinct++;
        }

        double pairs = (double) nb * nt;
        double n = (double) nb + nt;
        double mean = pairs / 2;
        double rankBiserial = 2 * uTarget / pairs - 1;
        double difference = Histograms.median(t) - Histograms.median(b);
        double seDifference = Math.hypot(Histograms.medianStandardError(b), Histograms.medianStandardError(t));
        double margin = StatMath.zCritical(confidenceLevel) * seDifference;
        if (seDifference == 0 && distinct > 1) {
            warnings.add("the middle of both histograms falls in single buckets, so the interval for the median "
                    + "difference has zero width; its real resolution is the sketch's bucket width");
        }

        if (distinct == 1) {
            warnings.add("every observation on both sides falls in one histogram bucket; ranks cannot differ");
            return result(uTarget, 1, difference, difference - margin, difference + margin, confidenceLevel,
                    rankBiserial, nb, nt, sufficient, warnings);
        }

        double spread = (n + 1) - (tieCorrection ? tieTerm / (n * (n - 1)) : 0);
        double sd = Math.sqrt(pairs / 12 * spread);
        double deviation = uTarget - mean;
        double corrected = continuityCorrection
                ? Math.copySign(Math.max(0, Math.abs(deviation) - 0.5), deviation) : deviation;
        double z = corrected / sd;
        double p = StatMath.finite(StatMath.twoSidedNormalP(z), 1);
        return result(uTarget, p, difference, difference - margin, difference + margin, confidenceLevel,
                rankBiserial, nb, nt, sufficient, warnings);
    }

    private static TestResult result(double u, double p, double difference, double low, double high,
                                     double confidenceLevel, double r, long nb, long nt, boolean sufficient,
                                     List<String> warnings) {
        return new TestResult(TestResult.MANN_WHITNEY_U, u, p, difference, low, high, confidenceLevel, r,
                TestResult.RANK_BISERIAL, EffectMagnitude.of(TestResult.RANK_BISERIAL, r), nb, nt, sufficient,
                warnings);
    }
}
