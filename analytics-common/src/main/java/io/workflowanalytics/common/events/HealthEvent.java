package io.workflowanalytics.common.events;

import java.time.Instant;

/**
 * A component's health changed, on {@code analytics.health}. Keyed by service name rather than workflowId: health
 * concerns every workflow. type is always system_health_changed.
 */
public record HealthEvent(
        String eventId,
        Integer schemaVersion,
        Instant occurredAt,
        String type,
        String service,
        HealthStatus previousStatus,
        ComponentHealth component) {

    public static final String TYPE = "system_health_changed";
}
