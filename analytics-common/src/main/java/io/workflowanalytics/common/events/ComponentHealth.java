package io.workflowanalytics.common.events;

import java.time.Instant;

/** Health of one component, e.g. a service or one of its dependencies (spec: ComponentHealth). */
public record ComponentHealth(
        String componentName,
        HealthStatus status,
        Double responseTime,
        Double errorRate,
        Instant lastChecked,
        Double healthScore) {
}
