package io.workflowanalytics.common.health;

import io.workflowanalytics.common.events.CheckState;
import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.DependencyCheck;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.health.ComponentHealthRules.Observation;
import io.workflowanalytics.common.health.ComponentHealthRules.Thresholds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ComponentHealthRulesTest {

    /** The defaults: error rate 1 % / 10 %, response time 1 s / 5 s, lag 10,000 / 100,000. */
    private static final ComponentHealthRules RULES = new ComponentHealthRules(
            new Thresholds(0.01, 0.10, 1000, 5000, 10_000, 100_000));
    private static final List<DependencyCheck> ALL_UP = List.of(
            new DependencyCheck("Kafka broker connection", CheckState.UP));
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static Observation ready(Double errorRate, Double millis, Long lag) {
        return new Observation(true, ALL_UP, errorRate, millis, lag);
    }

    @Test
    void idleReadyServiceIsHealthyWithFullScore() {
        ComponentHealth health = RULES.assess("reports-service", ready(null, null, null), NOW);
        assertEquals(new ComponentHealth("reports-service", HealthStatus.HEALTHY, null, null, NOW, 100.0), health);
        assertNull(health.responseTime());
    }

    @Test
    void figuresTravelRoundedToATenthOfAMillisecondAndAHundredthOfAPercent() {
        ComponentHealth health = RULES.assess("analytics-query", ready(0.0012345, 8.730926000001, 0L), NOW);
        assertEquals(8.7, health.responseTime());
        assertEquals(0.0012, health.errorRate());
        assertEquals(HealthStatus.HEALTHY, health.status());
    }

    @Test
    void readinessDownIsDownWithScoreZeroWhateverTheFigures() {
        Observation o = new Observation(false, List.of(new DependencyCheck("Kafka broker connection",
                CheckState.DOWN)), 0.0, 12.0, 0L);
        assertEquals(HealthStatus.DOWN, RULES.status(o));
        assertEquals(0.0, RULES.score(o, HealthStatus.DOWN));
    }

    @Test
    void figuresBelowTheWarningThresholdsAreHealthyWithProportionalPenalties() {
        // 100 − 40·(0.005/0.10) − 20·(250/5000) − 20·(2000/100000) = 100 − 2 − 1 − 0.4
        Observation o = ready(0.005, 250.0, 2000L);
        assertEquals(HealthStatus.HEALTHY, RULES.status(o));
        assertEquals(96.6, RULES.score(o, HealthStatus.HEALTHY));
    }

    @Test
    void errorRateOfOnePercentIsWarningAndTheScoreIsCappedAtEighty() {
        Observation o = ready(0.01, 100.0, null);
        assertEquals(HealthStatus.WARNING, RULES.status(o));
        // 100 − 4 − 0.4 = 95.6, capped at 80
        assertEquals(80.0, RULES.score(o, HealthStatus.WARNING));
    }

    @Test
    void eachWarningThresholdAloneMakesWarning() {
        assertEquals(HealthStatus.WARNING, RULES.status(ready(0.0, 1000.0, null)));
        assertEquals(HealthStatus.WARNING, RULES.status(ready(null, null, 10_000L)));
        assertEquals(HealthStatus.HEALTHY, RULES.status(ready(0.0099, 999.9, 9_999L)));
    }

    @Test
    void degradedCheckIsWarningAndCostsTwentyPoints() {
        Observation o = new Observation(true, List.of(new DependencyCheck("redis-cache", CheckState.DEGRADED)),
                0.0, 50.0, null);
        assertEquals(HealthStatus.WARNING, RULES.status(o));
        // 100 − 20·(50/5000) − 20 = 79.8
        assertEquals(79.8, RULES.score(o, HealthStatus.WARNING));
    }

    @Test
    void criticalThresholdsMakeCriticalWithTheScoreCappedAtForty() {
        assertEquals(HealthStatus.CRITICAL, RULES.status(ready(0.10, 10.0, null)));
        assertEquals(HealthStatus.CRITICAL, RULES.status(ready(0.0, 5000.0, null)));
        assertEquals(HealthStatus.CRITICAL, RULES.status(ready(0.0, 10.0, 100_000L)));
        // 100 − 40 − 20·(10/5000) = 59.96, capped at 40
        assertEquals(40.0, RULES.score(ready(0.10, 10.0, null), HealthStatus.CRITICAL));
    }

    @Test
    void everyFigureAtItsCriticalThresholdWithADegradedCheckScoresZero() {
        Observation o = new Observation(true, List.of(new DependencyCheck("redis-cache", CheckState.DEGRADED)),
                0.5, 9000.0, 250_000L);
        assertEquals(HealthStatus.CRITICAL, RULES.status(o));
        assertEquals(0.0, RULES.score(o, HealthStatus.CRITICAL));
    }
}
