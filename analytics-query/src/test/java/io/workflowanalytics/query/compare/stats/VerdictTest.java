package io.workflowanalytics.query.compare.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerdictTest {

    @Test
    void travelsAsLowerSnakeCase() throws Exception {
        assertEquals("significant_improvement", Verdict.SIGNIFICANT_IMPROVEMENT.wire());
        assertEquals("significant_regression", Verdict.SIGNIFICANT_REGRESSION.wire());
        assertEquals("no_significant_difference", Verdict.NO_SIGNIFICANT_DIFFERENCE.wire());
        assertEquals("insufficient_data", Verdict.INSUFFICIENT_DATA.wire());
        ObjectMapper json = new ObjectMapper();
        assertEquals("\"insufficient_data\"", json.writeValueAsString(Verdict.INSUFFICIENT_DATA));
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, json.readValue("\"significant_regression\"", Verdict.class));
    }

    @Test
    void decidesByPValueDirectionAndSampleRule() {
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(result(0.01, 5, 0.7, true), 0.05, true));
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(result(0.01, 5, 0.7, true), 0.05, false));
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(result(0.01, -5, -0.7, true), 0.05, true));
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(result(0.01, -5, -0.7, true), 0.05, false));
        assertEquals(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.of(result(0.05, 5, 0.7, true), 0.05, true));
        assertEquals(Verdict.INSUFFICIENT_DATA, Verdict.of(result(0.0001, 5, 0.7, false), 0.05, true));
        // The effect size carries the tested direction even when the medians happen to agree.
        assertEquals(Verdict.SIGNIFICANT_REGRESSION, Verdict.of(result(0.01, 0, 0.2, true), 0.05, false));
        // With no effect size the difference decides; with neither, there is nothing to call.
        assertEquals(Verdict.SIGNIFICANT_IMPROVEMENT, Verdict.of(result(0.01, 3, 0, true), 0.05, true));
        assertEquals(Verdict.NO_SIGNIFICANT_DIFFERENCE, Verdict.of(result(0.01, 0, 0, true), 0.05, true));
        assertThrows(IllegalArgumentException.class, () -> Verdict.of(result(0.01, 1, 1, true), 0, true));
    }

    @Test
    void thresholdsArePublic() {
        assertEquals(30, Verdict.MIN_OBSERVATIONS_PER_SIDE);
        assertEquals(10, Verdict.MIN_EXPECTED_OUTCOMES);
        assertEquals(0.05, Verdict.DEFAULT_ALPHA);
    }

    @Test
    void effectMagnitudeThresholds() {
        assertEquals(EffectMagnitude.NEGLIGIBLE, EffectMagnitude.of(TestResult.HEDGES_G, 0.19));
        assertEquals(EffectMagnitude.SMALL, EffectMagnitude.of(TestResult.HEDGES_G, -0.2));
        assertEquals(EffectMagnitude.MEDIUM, EffectMagnitude.of(TestResult.COHENS_H, 0.5));
        assertEquals(EffectMagnitude.LARGE, EffectMagnitude.of(TestResult.COHENS_H, -0.8));
        assertEquals(EffectMagnitude.NEGLIGIBLE, EffectMagnitude.of(TestResult.RANK_BISERIAL, 0.09));
        assertEquals(EffectMagnitude.SMALL, EffectMagnitude.of(TestResult.RANK_BISERIAL, 0.1));
        assertEquals(EffectMagnitude.MEDIUM, EffectMagnitude.of(TestResult.RANK_BISERIAL, -0.3));
        assertEquals(EffectMagnitude.LARGE, EffectMagnitude.of(TestResult.RANK_BISERIAL, 0.5));
    }

    private static TestResult result(double p, double difference, double effect, boolean sufficient) {
        return new TestResult(TestResult.WELCH_T, 1, p, difference, difference - 1, difference + 1, 0.95, effect,
                TestResult.HEDGES_G, EffectMagnitude.of(TestResult.HEDGES_G, effect), 100, 100, sufficient,
                List.of());
    }
}
