package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.query.alerts.Measurement.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule conditions' levels and classification, exactly. */
class RuleConditionsTest {

    static RuleParameters rule(AlertType type, double threshold, double factor, double minDelta, double clearRatio,
                               int minSamples) {
        return new RuleParameters(type, true, AlertSeverity.WARNING, threshold, factor, minDelta, clearRatio,
                type == AlertType.RESOURCE_EXHAUSTION ? "cpu" : null, null, 60, 3600, minSamples, 0, 0, 0);
    }

    @Test
    void errorRateFireLevelIsTheLargestOfFactorDeltaAndFloor() {
        RuleParameters r = rule(AlertType.ERROR_RATE_SPIKE, 0.10, 2, 0.05, 0.8, 10);
        assertEquals(0.10, RuleConditions.fireLevel(r, 0.011), 1e-15);      // floor: 0.022, 0.061 < 0.10
        assertEquals(0.16, RuleConditions.fireLevel(r, 0.08), 1e-15);       // factor: 0.16 > 0.13 > 0.10
        assertEquals(0.25, RuleConditions.fireLevel(r, 0.20) - 0.15, 1e-15); // factor again: 0.40
        RuleParameters delta = rule(AlertType.ERROR_RATE_SPIKE, 0.10, 1.2, 0.05, 0.8, 10);
        assertEquals(0.15, RuleConditions.fireLevel(delta, 0.10), 1e-15);  // delta: 0.15 > 0.12 > 0.10
        assertEquals(0.10, RuleConditions.fireLevel(r, null), 1e-15);        // no baseline: the floor
    }

    @Test
    void clearLevelLiesBetweenBaselineAndFireLevel() {
        RuleParameters r = rule(AlertType.ERROR_RATE_SPIKE, 0.10, 2, 0.05, 0.8, 10);
        assertEquals(0.01 + 0.09 * 0.8, RuleConditions.clearLevel(r, 0.01, 0.10), 1e-15);
        RuleParameters cpu = rule(AlertType.RESOURCE_EXHAUSTION, 90, 1, 0, 0.9, 5);
        assertEquals(81, RuleConditions.clearLevel(cpu, null, 90), 1e-12);
    }

    @Test
    void classifiesAboveBandAndClear() {
        RuleParameters r = rule(AlertType.ERROR_RATE_SPIKE, 0.10, 2, 0.05, 0.8, 10);
        assertEquals(Level.ABOVE, RuleConditions.classify(r, 0.10, 10, 0.01).level());
        assertEquals(Level.BAND, RuleConditions.classify(r, 0.09, 10, 0.01).level());
        assertEquals(Level.BAND, RuleConditions.classify(r, 0.082, 10, 0.01).level());
        assertEquals(Level.CLEAR, RuleConditions.classify(r, 0.0819, 10, 0.01).level());
        // Too few executions: nothing to stand on, the condition counts as clear.
        assertEquals(Level.CLEAR, RuleConditions.classify(r, 0.9, 9, 0.01).level());
        assertEquals(Level.CLEAR, RuleConditions.classify(r, null, 0, 0.01).level());
    }

    @Test
    void anOpenAlertKeepsTheBaselineItFiredWith() {
        RuleParameters r = rule(AlertType.ERROR_RATE_SPIKE, 0.10, 2, 0.05, 0.8, 10);
        // The incident pushed the learned baseline to 0.3 (fire level 0.6): against it 0.4 would be clear.
        assertEquals(Level.CLEAR, RuleConditions.classify(r, 0.4, 50, 0.3).level());
        StoredAlert fired = alert(0.01);
        Measurement m = RuleConditions.classify(r, 0.4, 50, RuleConditions.baselineFor(fired, 0.3));
        assertEquals(Level.ABOVE, m.level());
        assertEquals(0.01, m.baseline());
        // Fired without a learned baseline: it stays without one (fire level 0.10), whatever is learned since.
        assertEquals(Level.ABOVE, RuleConditions.classify(r, 0.4, 50, RuleConditions.baselineFor(alert(null), 0.3))
                .level());
        assertEquals(0.3, RuleConditions.baselineFor(null, 0.3));
    }

    static StoredAlert alert(Double baseline) {
        return new StoredAlert(java.util.UUID.randomUUID(), AlertType.ERROR_RATE_SPIKE, AlertSeverity.WARNING, "t",
                "d", java.time.Instant.EPOCH, io.workflowanalytics.common.events.AlertStatus.ACTIVE,
                java.util.List.of(), java.util.List.of(), "", java.util.UUID.randomUUID(), java.util.UUID.randomUUID(),
                0.5, 0.1, baseline, null, null, null, null, null, null, null, java.time.Instant.EPOCH);
    }

    @Test
    void performanceWithoutBaselineOrFloorNeverFires() {
        RuleParameters r = rule(AlertType.PERFORMANCE_DEGRADATION, 0, 1.5, 200, 0.8, 10);
        Measurement m = RuleConditions.classify(r, 99_999.0, 100, null);
        assertEquals(Level.CLEAR, m.level());
        assertTrue(Double.isInfinite(m.fireLevel()));
        // Fire level max(450, 500, 0) = 500; clear level 300 + 200 × 0.8 = 460.
        assertEquals(Level.ABOVE, RuleConditions.classify(r, 500.0, 100, 300.0).level());
        assertEquals(Level.BAND, RuleConditions.classify(r, 460.0, 100, 300.0).level());
        assertEquals(Level.CLEAR, RuleConditions.classify(r, 459.9, 100, 300.0).level());
    }

    @Test
    void absoluteRulesIgnoreBaselines() {
        RuleParameters failures = rule(AlertType.SYSTEM_FAILURE, 5, 1, 0, 0.8, 1);
        assertEquals(Level.ABOVE, RuleConditions.classify(failures, 5.0, 5, 123.0).level());
        assertEquals(Level.BAND, RuleConditions.classify(failures, 4.0, 5, null).level());
        assertEquals(Level.CLEAR, RuleConditions.classify(failures, 0.0, 5, null).level());
        assertNull(RuleConditions.classify(failures, 0.0, 5, 123.0).baseline());
    }

    @Test
    void severityEscalatesAtTwiceTheFireLevel() {
        RuleParameters r = rule(AlertType.ERROR_RATE_SPIKE, 0.10, 2, 0.05, 0.8, 10);
        assertEquals(AlertSeverity.WARNING, AlertContent.severity(r, RuleConditions.classify(r, 0.19, 10, 0.0)));
        assertEquals(AlertSeverity.CRITICAL, AlertContent.severity(r, RuleConditions.classify(r, 0.2, 10, 0.0)));
    }
}
