package io.workflowanalytics.query.compare.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoProportionZTestTest {

    /**
     * 45/100 against 60/100, by hand: p̄ = 0.525, SE = √(0.525·0.475·(1/100 + 1/100)) = 0.0706222, z = 0.15/SE =
     * 2.12398, p = 2·Φ(−2.12398) = 0.033672; h = 2·asin√0.60 − 2·asin√0.45 = 0.301525. Newcombe interval computed
     * separately from the two Wilson intervals: (0.011724, 0.280449).
     */
    @Test
    void textbookExample() {
        TestResult r = TwoProportionZTest.test(45, 100, 60, 100, 0.95);
        assertEquals(TestResult.TWO_PROPORTION_Z, r.test());
        assertEquals(2.1239769762143657, r.statistic(), 1e-9);
        assertEquals(0.033672068856345855, r.pValue(), 1e-9);
        assertEquals(0.15, r.difference(), 1e-12);
        assertEquals(0.011723935319973455, r.confidenceLow(), 1e-9);
        assertEquals(0.2804485210107637, r.confidenceHigh(), 1e-9);
        assertEquals(0.3015253419518906, r.effectSize(), 1e-12);
        assertEquals(EffectMagnitude.SMALL, r.effectMagnitude());
        assertTrue(r.sufficientSample());
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(r, 0.05, true));
        assertEquals(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.of(r, 0.01, true));

        TestResult reversed = TwoProportionZTest.test(60, 100, 45, 100, 0.95);
        assertEquals(-2.1239769762143657, reversed.statistic(), 1e-9);
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(reversed, 0.05, true));
    }

    /** Newcombe (1998), Statistics in Medicine 17:873, worked example 56/70 − 48/80: method 10 gives 0.0524 to 0.3339. */
    @Test
    void newcombePublishedInterval() {
        TestResult r = TwoProportionZTest.test(48, 80, 56, 70, 0.95);
        assertEquals(0.2, r.difference(), 1e-12);
        assertEquals(0.0524, r.confidenceLow(), 5e-5);
        assertEquals(0.3339, r.confidenceHigh(), 5e-5);
    }

    @Test
    void tooFewExpectedOutcomesIsInsufficient() {
        // 3/20 vs 5/20: pooled rate 0.2, so 4 expected successes per side.
        TestResult r = TwoProportionZTest.test(3, 20, 5, 20, 0.95);
        Samples.assertAllFinite(r);
        assertFalse(r.sufficientSample());
        assertEquals(2, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("baseline expects 4.0 successes"), r.warnings().toString());
        assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, 0.05, true));

        // Plenty of trials but rare failures: 995/1000 vs 990/1000 expects 7.5 failures per side.
        assertFalse(TwoProportionZTest.test(995, 1000, 990, 1000, 0.95).sufficientSample());
    }

    @Test
    void zeroTrialsIsNotComputable() {
        for (TestResult r : new TestResult[] {
                TwoProportionZTest.test(0, 0, 5, 50, 0.95),
                TwoProportionZTest.test(5, 50, 0, 0, 0.95),
                TwoProportionZTest.test(0, 0, 0, 0, 0.95)}) {
            Samples.assertAllFinite(r);
            assertFalse(r.sufficientSample());
            assertEquals(1, r.pValue());
            assertEquals(0, r.statistic());
            assertEquals(-1, r.confidenceLow());
            assertEquals(1, r.confidenceHigh());
            assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(r, 0.05, true));
        }
    }

    @Test
    void allSuccessesOrAllFailuresOnBothSides() {
        TestResult successes = TwoProportionZTest.test(500, 500, 800, 800, 0.95);
        Samples.assertAllFinite(successes);
        assertEquals(1, successes.pValue());
        assertEquals(0, successes.difference());
        assertTrue(successes.confidenceLow() < 0 && successes.confidenceHigh() > 0);
        assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(successes, 0.05, true), "no expected failures");

        TestResult failures = TwoProportionZTest.test(0, 500, 0, 800, 0.95);
        Samples.assertAllFinite(failures);
        assertEquals(1, failures.pValue());
        assertEquals(0, failures.effectSize());

        TestResult opposite = TwoProportionZTest.test(0, 50, 50, 50, 0.95);
        Samples.assertAllFinite(opposite);
        assertEquals(1, opposite.difference());
        assertEquals(Math.PI, opposite.effectSize(), 1e-12);
        assertTrue(opposite.confidenceHigh() <= 1 && opposite.confidenceLow() > 0.8);
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(opposite, 0.05, true));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> TwoProportionZTest.test(11, 10, 1, 10, 0.95));
        assertThrows(IllegalArgumentException.class, () -> TwoProportionZTest.test(-1, 10, 1, 10, 0.95));
        assertThrows(IllegalArgumentException.class, () -> TwoProportionZTest.test(1, 10, 1, 10, 1.0));
    }
}
