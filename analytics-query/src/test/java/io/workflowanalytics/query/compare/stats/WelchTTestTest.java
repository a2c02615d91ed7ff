package io.workflowanalytics.query.compare.stats;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WelchTTestTest {

    /** Moments-only Welch against commons-math3's TTest on the raw samples. */
    @ParameterizedTest
    @CsvSource({
            "1, 200, 100, 10, 200, 110, 10",
            "2, 50, 100, 10, 80, 101, 25",
            "3, 31, 5000, 900, 1000, 5100, 300",
            "4, 1000, 0.5, 0.01, 40, 0.499, 0.05",
            "5, 2, 10, 1, 3, 12, 4",
    })
    void matchesCommonsMathOnRawSamples(long seed, int nb, double mb, double sb, int nt, double mt, double st) {
        double[] baseline = Samples.normal(seed, nb, mb, sb);
        double[] target = Samples.normal(seed + 1000, nt, mt, st);
        TestResult r = WelchTTest.test(Moments.of(baseline), Moments.of(target), 0.95);

        TTest reference = new TTest();
        // commons-math orients t as first minus second; ours is target minus baseline.
        assertEquals(reference.t(target, baseline), r.statistic(), 1e-9);
        assertEquals(reference.tTest(target, baseline), r.pValue(), 1e-9);
        assertEquals(TestResult.WELCH_T, r.test());
        assertEquals(TestResult.HEDGES_G, r.effectSizeMeasure());
        assertEquals(nb, r.baselineSampleSize());
        assertEquals(nt, r.targetSampleSize());
    }

    /**
     * Values from scipy 1.17 ({@code ttest_ind(t, b, equal_var=False)} and its {@code confidence_interval}); Hedges'
     * g computed separately from the pooled SD and J = 1 − 3/(4(n_b+n_t) − 9).
     */
    @Test
    void confidenceIntervalAndEffectSizeMatchIndependentComputation() {
        double[] b = new double[35];
        for (int i = 0; i < b.length; i++) {
            b[i] = 100 + 12 * Math.sin(1.3 * i) + (i % 7);
        }
        double[] t = new double[42];
        for (int j = 0; j < t.length; j++) {
            t[j] = 104 + 9 * Math.cos(0.7 * j) + (j % 5) * 1.5;
        }
        TestResult r95 = WelchTTest.test(Moments.of(b), Moments.of(t), 0.95);
        assertEquals(2.06596817523596, r95.statistic(), 1e-9);
        assertEquals(0.0429119719795976, r95.pValue(), 1e-9);
        assertEquals(0.123027745795854, r95.confidenceLow(), 1e-7);
        assertEquals(7.3547060179897, r95.confidenceHigh(), 1e-7);
        assertEquals(0.478788978355599, r95.effectSize(), 1e-9);
        assertEquals(EffectMagnitude.SMALL, r95.effectMagnitude());
        assertTrue(r95.sufficientSample());
        assertTrue(r95.warnings().isEmpty());

        TestResult r90 = WelchTTest.test(Moments.of(b), Moments.of(t), 0.90);
        assertEquals(0.718088844215293, r90.confidenceLow(), 1e-7);
        assertEquals(6.75964491957026, r90.confidenceHigh(), 1e-7);
        assertEquals(0.90, r90.confidenceLevel());
    }

    @Test
    void slowerTargetIsASignificantRegressionForADuration() {
        double[] baseline = Samples.normal(42, 200, 100, 10);
        double[] target = Samples.normal(43, 200, 110, 10);
        TestResult r = WelchTTest.test(Moments.of(baseline), Moments.of(target), 0.95);
        assertTrue(r.pValue() < 0.001, "p = " + r.pValue());
        assertTrue(r.difference() > 5 && r.difference() < 15, "difference = " + r.difference());
        assertTrue(r.confidenceLow() > 0);
        assertEquals(EffectMagnitude.LARGE, r.effectMagnitude());
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(r, 0.05, false));
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(r, 0.05, true));
    }

    @Test
    void sameDistributionShowsNoSignificantDifference() {
        double[] baseline = Samples.normal(42, 200, 100, 10);
        double[] target = Samples.normal(44, 200, 100, 10);
        TestResult r = WelchTTest.test(Moments.of(baseline), Moments.of(target), 0.95);
        assertTrue(r.pValue() > 0.05, "p = " + r.pValue());
        assertTrue(r.confidenceLow() < 0 && r.confidenceHigh() > 0);
        assertEquals(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.of(r, 0.05, false));
    }

    @Test
    void smallSidesAreFlaggedInsufficient() {
        TestResult r = WelchTTest.test(Moments.of(Samples.normal(1, 29, 100, 10)),
                Moments.of(Samples.normal(2, 200, 150, 10)), 0.95);
        assertFalse(r.sufficientSample());
        assertTrue(r.pValue() < 1e-6, "the test still runs");
        assertTrue(r.warnings().get(0).contains("baseline has 29 observations"), r.warnings().toString());
        assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, 0.05, false));
    }

    @Test
    void fewerThanTwoObservationsIsNotComputable() {
        for (Moments side : new Moments[] {new Moments(0, 0, 0), Moments.of(3.0)}) {
            TestResult r = WelchTTest.test(side, Moments.of(Samples.normal(3, 100, 5, 1)), 0.95);
            Samples.assertAllFinite(r);
            assertFalse(r.sufficientSample());
            assertEquals(1, r.pValue());
            assertEquals(0, r.statistic());
            assertEquals(0, r.effectSize());
            assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, 0.05, false));
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not computed")), r.warnings().toString());
        }
        TestResult bothEmpty = WelchTTest.test(new Moments(0, 0, 0), new Moments(0, 0, 0), 0.95);
        Samples.assertAllFinite(bothEmpty);
        assertEquals(0, bothEmpty.difference());
    }

    @Test
    void zeroVarianceOnBothSides() {
        double[] fives = new double[40];
        java.util.Arrays.fill(fives, 5);
        double[] sevens = new double[40];
        java.util.Arrays.fill(sevens, 7);

        TestResult equal = WelchTTest.test(Moments.of(fives), Moments.of(fives), 0.95);
        Samples.assertAllFinite(equal);
        assertEquals(1, equal.pValue());
        assertEquals(0, equal.statistic());
        assertEquals(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.of(equal, 0.05, false));

        TestResult different = WelchTTest.test(Moments.of(fives), Moments.of(sevens), 0.95);
        Samples.assertAllFinite(different);
        assertEquals(0, different.pValue());
        assertEquals(2, different.difference());
        assertEquals(2, different.confidenceLow());
        assertEquals(2, different.confidenceHigh());
        assertEquals(Double.MAX_VALUE, different.statistic());
        assertEquals(EffectMagnitude.LARGE, different.effectMagnitude());
        assertFalse(different.warnings().isEmpty());
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(different, 0.05, false));
    }

    @Test
    void zeroVarianceOnOneSideStillWorks() {
        double[] fives = new double[40];
        java.util.Arrays.fill(fives, 5);
        double[] other = Samples.normal(9, 40, 6, 1);
        TestResult r = WelchTTest.test(Moments.of(fives), Moments.of(other), 0.95);
        Samples.assertAllFinite(r);
        assertEquals(new TTest().tTest(other, fives), r.pValue(), 1e-9);
    }

    @Test
    void hugeSamplesStayFinite() {
        // Rollup-sized counts: n = 10⁹ per side, mean 250 ms, sd 40 ms.
        long n = 1_000_000_000L;
        Moments b = new Moments(n, 250.0 * n, (250.0 * 250 + 1600) * n);
        Moments t = new Moments(n, 250.01 * n, (250.01 * 250.01 + 1600) * n);
        TestResult r = WelchTTest.test(b, t, 0.95);
        Samples.assertAllFinite(r);
        assertTrue(r.pValue() < 0.01, "p = " + r.pValue());
        // At df ≈ 2·10⁹ Student's t is the normal: t = 0.01/√(2·1600/10⁹) ≈ 5.59.
        assertEquals(0.01 / Math.sqrt(3.2e-6), r.statistic(), 1e-3);
        assertEquals(StatMath.twoSidedNormalP(r.statistic()), r.pValue(), 1e-3 * r.pValue());
        assertEquals(EffectMagnitude.NEGLIGIBLE, r.effectMagnitude());
    }
}
