package io.workflowanalytics.query.compare.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MannWhitneyUTestTest {

    /**
     * Against commons-math3 3.6.1's MannWhitneyUTest on the expanded integer samples. That implementation applies
     * neither tie nor continuity correction (σ² = n_b·n_t·(N+1)/12) and reports U = max(U_b, U_t), so both
     * corrections are switched off and U is compared as the max.
     */
    @ParameterizedTest
    @CsvSource({
            "1, 300, 50, 10, 250, 53, 10",
            "2, 40, 20, 3, 45, 20, 3",
            "3, 1000, 200, 30, 800, 195, 40",
            "4, 35, 10, 1, 60, 11, 1",
    })
    void matchesCommonsMathOnExpandedIntegerSamples(long seed, int nb, double mb, double sb, int nt, double mt,
                                                    double st) {
        double[] baseline = Samples.rounded(Samples.normal(seed, nb, mb, sb));
        double[] target = Samples.rounded(Samples.normal(seed + 1000, nt, mt, st));
        TestResult r = MannWhitneyUTest.test(Samples.histogram(baseline), Samples.histogram(target), 0.95,
                false, false);

        var reference = new org.apache.commons.math3.stat.inference.MannWhitneyUTest();
        double pairs = (double) nb * nt;
        assertEquals(reference.mannWhitneyU(baseline, target), Math.max(r.statistic(), pairs - r.statistic()), 1e-6);
        assertEquals(reference.mannWhitneyUTest(baseline, target), r.pValue(), 1e-6);
        assertEquals(TestResult.MANN_WHITNEY_U, r.test());
        assertEquals(nb, r.baselineSampleSize());
        assertEquals(nt, r.targetSampleSize());
    }

    @Test
    void matchesCommonsMathWithoutTies() {
        double[] baseline = Samples.normal(5, 120, 0, 1);
        double[] target = Samples.normal(6, 90, 0.3, 1);
        TestResult r = MannWhitneyUTest.test(Samples.histogram(baseline), Samples.histogram(target), 0.95,
                false, false);
        var reference = new org.apache.commons.math3.stat.inference.MannWhitneyUTest();
        assertEquals(reference.mannWhitneyUTest(baseline, target), r.pValue(), 1e-9);
        // Without ties the tie correction changes nothing.
        assertEquals(r.pValue(), MannWhitneyUTest.test(Samples.histogram(baseline), Samples.histogram(target),
                0.95, true, false).pValue(), 1e-12);
    }

    /**
     * Tie- and continuity-corrected values from scipy 1.17:
     * {@code mannwhitneyu(T, B, use_continuity=..., method='asymptotic')} with B = [(7i) mod 13, i &lt; 40] and
     * T = [(5i) mod 11 + 2, i &lt; 45]. Medians and the McKean–Schrader interval from numpy on the expanded data.
     */
    @Test
    void tieAndContinuityCorrectionsMatchScipy() {
        double[] b = new double[40];
        for (int i = 0; i < b.length; i++) {
            b[i] = (7 * i) % 13;
        }
        double[] t = new double[45];
        for (int i = 0; i < t.length; i++) {
            t[i] = (5 * i) % 11 + 2;
        }
        TestResult corrected = MannWhitneyUTest.test(Samples.histogram(b), Samples.histogram(t), 0.95);
        assertEquals(1042.5, corrected.statistic(), 1e-9);
        assertEquals(0.209740609331235, corrected.pValue(), 1e-9);
        assertEquals(1.0, corrected.difference(), 1e-12);
        assertEquals(-1.8284271247461903, corrected.confidenceLow(), 1e-9);
        assertEquals(3.8284271247461903, corrected.confidenceHigh(), 1e-9);
        assertEquals(2 * 1042.5 / (40 * 45) - 1, corrected.effectSize(), 1e-12);

        TestResult tiesOnly = MannWhitneyUTest.test(Samples.histogram(b), Samples.histogram(t), 0.95, true, false);
        assertEquals(0.208140341565621, tiesOnly.pValue(), 1e-9);
    }

    @Test
    void rankBiserialIsPositiveWhenTargetIsLarger() {
        List<Bucket> low = List.of(new Bucket(10, 50), new Bucket(20, 50));
        List<Bucket> high = List.of(new Bucket(30, 50), new Bucket(40, 50));
        TestResult r = MannWhitneyUTest.test(low, high, 0.95);
        assertEquals(1, r.effectSize(), 1e-12);
        assertEquals(EffectMagnitude.LARGE, r.effectMagnitude());
        assertEquals(100 * 100, r.statistic(), 1e-9);
        assertTrue(r.pValue() < 1e-10);
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(r, 0.05, false));

        TestResult reversed = MannWhitneyUTest.test(high, low, 0.95);
        assertEquals(-1, reversed.effectSize(), 1e-12);
        assertEquals(0, reversed.statistic(), 1e-9);
        assertEquals(r.pValue(), reversed.pValue(), 1e-15);
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(reversed, 0.05, false));
    }

    @Test
    void bucketOrderAndDuplicateValuesDoNotMatter() {
        List<Bucket> tidy = List.of(new Bucket(1, 10), new Bucket(2, 20), new Bucket(3, 5));
        List<Bucket> messy = new ArrayList<>(List.of(new Bucket(3, 5), new Bucket(2, 15), new Bucket(1, 10),
                new Bucket(2, 5), new Bucket(9, 0)));
        Collections.shuffle(messy, new java.util.Random(1));
        List<Bucket> other = List.of(new Bucket(2, 30), new Bucket(4, 12));
        assertEquals(MannWhitneyUTest.test(tidy, other, 0.95), MannWhitneyUTest.test(messy, other, 0.95));
    }

    @Test
    void medianDifferenceComesFromTheHistograms() {
        // Baseline median: 12 observations, 6th and 7th are 20 and 30 → 25. Target median: 5 observations → 40.
        List<Bucket> b = List.of(new Bucket(10, 5), new Bucket(20, 1), new Bucket(30, 6));
        List<Bucket> t = List.of(new Bucket(35, 2), new Bucket(40, 1), new Bucket(50, 2));
        assertEquals(25, Histograms.median(Histograms.normalise(b)));
        assertEquals(40, Histograms.median(Histograms.normalise(t)));
        assertEquals(15, MannWhitneyUTest.test(b, t, 0.95).difference(), 1e-12);
    }

    @Test
    void medianStandardErrorIsCloseToTheNormalTheoryValue() {
        // For N(μ, σ) the sample median has SE ≈ √(π/2)·σ/√n ≈ 0.396 at σ = 10, n = 1000. One estimate varies by
        // about 12% at this n, so the check is on the mean of 50 (whose own spread is under 2%).
        double sum = 0;
        for (int seed = 0; seed < 50; seed++) {
            double[] x = Samples.normal(100 + seed, 1000, 100, 10);
            sum += Histograms.medianStandardError(Histograms.normalise(Samples.histogram(x)));
        }
        assertEquals(Math.sqrt(Math.PI / 2) * 10 / Math.sqrt(1000), sum / 50, 0.03);
    }

    @Test
    void shiftedLogNormalsAreDetectedAndIntervalCoversTheShift() {
        double[] baseline = Samples.rounded(Samples.logNormal(21, 2000, Math.log(200), 0.6));
        double[] target = Samples.rounded(Samples.logNormal(22, 2000, Math.log(240), 0.6));
        TestResult r = MannWhitneyUTest.test(Samples.histogram(baseline), Samples.histogram(target), 0.95);
        assertTrue(r.pValue() < 1e-6, "p = " + r.pValue());
        assertTrue(r.confidenceLow() < 40 && 40 < r.confidenceHigh(), r.toString());
        assertTrue(r.confidenceLow() < r.difference() && r.difference() < r.confidenceHigh());
        assertTrue(r.sufficientSample());
    }

    @Test
    void emptySidesAndSingleBuckets() {
        List<Bucket> some = List.of(new Bucket(5, 40), new Bucket(6, 40));
        for (TestResult r : List.of(
                MannWhitneyUTest.test(List.of(), some, 0.95),
                MannWhitneyUTest.test(some, List.of(), 0.95),
                MannWhitneyUTest.test(List.of(), List.of(), 0.95),
                MannWhitneyUTest.test(List.of(new Bucket(5, 0)), some, 0.95))) {
            Samples.assertAllFinite(r);
            assertFalse(r.sufficientSample());
            assertEquals(1, r.pValue());
            assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, 0.05, true));
        }

        TestResult allTied = MannWhitneyUTest.test(List.of(new Bucket(5, 40)), List.of(new Bucket(5, 60)), 0.95);
        Samples.assertAllFinite(allTied);
        assertEquals(1, allTied.pValue());
        assertEquals(0, allTied.effectSize());
        assertEquals(0, allTied.difference());
        assertTrue(allTied.sufficientSample());
        assertEquals(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.of(allTied, 0.05, true));

        TestResult twoSingles = MannWhitneyUTest.test(List.of(new Bucket(5, 40)), List.of(new Bucket(7, 60)), 0.95);
        Samples.assertAllFinite(twoSingles);
        assertTrue(twoSingles.pValue() < 1e-10);
        assertEquals(2, twoSingles.difference());
        assertFalse(twoSingles.warnings().isEmpty(), "zero-width interval is explained");

        TestResult oneEach = MannWhitneyUTest.test(List.of(new Bucket(5, 1)), List.of(new Bucket(7, 1)), 0.95);
        Samples.assertAllFinite(oneEach);
        assertFalse(oneEach.sufficientSample());
    }

    @Test
    void thousandsOfBucketsWithHugeCountsAreCheap() {
        // DDSketch-like log-spaced buckets, a billion observations per side: must never expand to samples.
        List<Bucket> b = new ArrayList<>();
        List<Bucket> t = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double value = Math.pow(1.02, i);
            b.add(new Bucket(value, 1_000_000L + (i % 17) * 1000L));
            t.add(new Bucket(value * 1.02, 1_000_000L + (i % 13) * 1000L));
        }
        TestResult r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
                () -> MannWhitneyUTest.test(b, t, 0.95));
        Samples.assertAllFinite(r);
        assertTrue(r.baselineSampleSize() > 3_000_000_000L);
        assertTrue(r.effectSize() > 0);
    }
}
