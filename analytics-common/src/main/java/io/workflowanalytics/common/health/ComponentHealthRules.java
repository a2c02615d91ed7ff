package io.workflowanalytics.common.health;

import io.workflowanalytics.common.events.CheckState;
import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.DependencyCheck;
import io.workflowanalytics.common.events.HealthStatus;

import java.time.Instant;
import java.util.List;

/**
 * How one service's readiness and key figures become the spec's ComponentHealth (docs/architecture.md, "System
 * health"). Status, first rule that holds:
 * <ol>
 *   <li>{@code down}: readiness is DOWN;</li>
 *   <li>{@code critical}: error rate, mean response time or consumer lag at or above its critical threshold;</li>
 *   <li>{@code warning}: a readiness check is degraded, or a figure at or above its warning threshold;</li>
 *   <li>{@code healthy} otherwise.</li>
 * </ol>
 * healthScore is 0 when down, else {@code 100 − 40·min(1, errorRate/criticalErrorRate)
 * − 20·min(1, responseTime/criticalResponseTime) − 20·min(1, lag/criticalLag) − 20·(any check degraded)},
 * capped at 80 when warning and 40 when critical (so a higher status always has the higher score), rounded to one
 * decimal. An absent figure (no request in the interval, no consumer) counts as 0.
 */
public final class ComponentHealthRules {

    static final double WARNING_SCORE_CAP = 80;
    static final double CRITICAL_SCORE_CAP = 40;

    private final Thresholds thresholds;

    public ComponentHealthRules(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** Threshold at or above which a figure makes the service warning or critical; response times in ms. */
    public record Thresholds(double warningErrorRate, double criticalErrorRate,
                             double warningResponseTimeMs, double criticalResponseTimeMs,
                             long warningConsumerLag, long criticalConsumerLag) {
    }

    /**
     * One evaluation: readiness, its checks, and the interval's figures (null when there is nothing to measure:
     * no HTTP request in the interval, no consumer).
     */
    public record Observation(boolean ready, List<DependencyCheck> checks, Double errorRate, Double responseTimeMs,
                              Long consumerLag) {

        boolean degraded() {
            return checks.stream().anyMatch(c -> c.state() == CheckState.DEGRADED);
        }
    }

    public ComponentHealth assess(String componentName, Observation o, Instant checkedAt) {
        HealthStatus status = status(o);
        return new ComponentHealth(componentName, status, round(o.responseTimeMs(), 10), round(o.errorRate(), 10_000),
                checkedAt, score(o, status));
    }

    public HealthStatus status(Observation o) {
        if (!o.ready()) {
            return HealthStatus.DOWN;
        }
        double errors = orZero(o.errorRate());
        double millis = orZero(o.responseTimeMs());
        double lag = o.consumerLag() == null ? 0 : o.consumerLag();
        if (errors >= thresholds.criticalErrorRate() || millis >= thresholds.criticalResponseTimeMs()
                || lag >= thresholds.criticalConsumerLag()) {
            return HealthStatus.CRITICAL;
        }
        if (o.degraded() || errors >= thresholds.warningErrorRate() || millis >= thresholds.warningResponseTimeMs()
                || lag >= thresholds.warningConsumerLag()) {
            return HealthStatus.WARNING;
        }
        return HealthStatus.HEALTHY;
    }

    public double score(Observation o, HealthStatus status) {
        if (status == HealthStatus.DOWN) {
            return 0;
        }
        double score = 100
                - 40 * share(orZero(o.errorRate()), thresholds.criticalErrorRate())
                - 20 * share(orZero(o.responseTimeMs()), thresholds.criticalResponseTimeMs())
                - 20 * share(o.consumerLag() == null ? 0 : o.consumerLag(), thresholds.criticalConsumerLag())
                - (o.degraded() ? 20 : 0);
        if (status == HealthStatus.WARNING) {
            score = Math.min(score, WARNING_SCORE_CAP);
        } else if (status == HealthStatus.CRITICAL) {
            score = Math.min(score, CRITICAL_SCORE_CAP);
        }
        return Math.round(Math.max(0, score) * 10) / 10.0;
    }

    /** Response times to 0.1 ms and error rates to 0.01 %: more digits would only be noise on the wire. */
    private static Double round(Double value, double scale) {
        return value == null ? null : Math.round(value * scale) / scale;
    }

    private static double share(double value, double critical) {
        return critical <= 0 ? 1 : Math.min(1, value / critical);
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
