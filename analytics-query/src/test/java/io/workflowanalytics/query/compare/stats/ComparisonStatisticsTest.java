package io.workflowanalytics.query.compare.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonStatisticsTest {

    @Test
    void symmetricLargeSamplesUseWelch() {
        double[] b = Samples.rounded(Samples.normal(1, 500, 1000, 50));
        double[] t = Samples.rounded(Samples.normal(2, 500, 1010, 50));
        assertTrue(Math.abs(ComparisonStatistics.skewness(Moments.of(b), Samples.histogram(b))) < 0.1);
        TestResult r = ComparisonStatistics.compareDurations(Moments.of(b), Samples.histogram(b), Moments.of(t),
                Samples.histogram(t), 0.95);
        assertEquals(TestResult.WELCH_T, r.test());
    }

    @Test
    void skewedSamplesUseMannWhitney() {
        // Log-normal with σ = 1: (mean − median)/sd = (e^½ − 1)/√((e − 1)e) ≈ 0.30.
        double[] b = Samples.rounded(Samples.logNormal(3, 2000, Math.log(200), 1));
        double[] t = Samples.rounded(Samples.logNormal(4, 2000, Math.log(220), 1));
        assertTrue(ComparisonStatistics.skewness(Moments.of(b), Samples.histogram(b)) > 0.2);
        TestResult r = ComparisonStatistics.compareDurations(Moments.of(b), Samples.histogram(b), Moments.of(t),
                Samples.histogram(t), 0.95);
        assertEquals(TestResult.MANN_WHITNEY_U, r.test());
    }

    @Test
    void smallSamplesUseMannWhitneyAndAreInsufficient() {
        double[] b = Samples.rounded(Samples.normal(5, 20, 100, 10));
        double[] t = Samples.rounded(Samples.normal(6, 200, 100, 10));
        TestResult r = ComparisonStatistics.compareDurations(Moments.of(b), Samples.histogram(b), Moments.of(t),
                Samples.histogram(t), 0.95);
        assertEquals(TestResult.MANN_WHITNEY_U, r.test());
        assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, Verdict.DEFAULT_ALPHA, false));
    }

    @Test
    void withoutHistogramsOnlyWelchCanRun() {
        double[] b = Samples.normal(7, 10, 100, 10);
        double[] t = Samples.normal(8, 10, 100, 10);
        TestResult r = ComparisonStatistics.compareDurations(Moments.of(b), List.of(), Moments.of(t), List.of(), 0.95);
        assertEquals(TestResult.WELCH_T, r.test());
        Samples.assertAllFinite(r);
    }

    @Test
    void emptyEverythingStaysFinite() {
        TestResult r = ComparisonStatistics.compareDurations(new Moments(0, 0, 0), List.of(), new Moments(0, 0, 0),
                List.of(), 0.95);
        Samples.assertAllFinite(r);
        assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, 0.05, false));
    }

    @Test
    void ratesUseTheTwoProportionTest() {
        TestResult r = ComparisonStatistics.compareRates(900, 1000, 950, 1000, 0.95);
        assertEquals(TestResult.TWO_PROPORTION_Z, r.test());
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(r, 0.05, true));
    }
}
