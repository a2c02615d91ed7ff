package io.workflowanalytics.common.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * What {@link HealthReporter} publishes and when (prefix {@code wa.health}); the thresholds of
 * {@link ComponentHealthRules}. {@code wa.health.check-every} is read by the scheduler too, so its value lives in
 * analytics-common's microprofile-config.properties.
 */
@ConfigMapping(prefix = "wa.health")
public interface HealthReportConfig {

    /** Whether the service publishes its health on analytics.health at all. */
    @WithDefault("true")
    boolean report();

    /** How often readiness and the key figures are evaluated. */
    Duration checkEvery();

    /** How often an unchanged status is published again. */
    @WithDefault("30s")
    Duration heartbeatEvery();

    /** Longest a publish may wait for the broker's metadata (max.block.ms) and for each request. */
    @WithDefault("2s")
    Duration publishTimeout();

    /** The Kafka readiness check's deadline (read by {@link KafkaBrokerHealthCheck}). */
    @WithDefault("3s")
    Duration kafkaTimeout();

    /** 5xx share of the interval's HTTP requests from which the service is warning. */
    @WithDefault("0.01")
    double warningErrorRate();

    /** 5xx share from which it is critical. */
    @WithDefault("0.10")
    double criticalErrorRate();

    /** Mean HTTP response time of the interval from which it is warning. */
    @WithDefault("1s")
    Duration warningResponseTime();

    /** Mean HTTP response time from which it is critical. */
    @WithDefault("5s")
    Duration criticalResponseTime();

    /** Largest consumer partition lag (records) from which it is warning. */
    @WithDefault("10000")
    long warningConsumerLag();

    /** Largest consumer partition lag from which it is critical. */
    @WithDefault("100000")
    long criticalConsumerLag();

    default ComponentHealthRules.Thresholds thresholds() {
        return new ComponentHealthRules.Thresholds(warningErrorRate(), criticalErrorRate(),
                warningResponseTime().toMillis(), criticalResponseTime().toMillis(),
                warningConsumerLag(), criticalConsumerLag());
    }
}
