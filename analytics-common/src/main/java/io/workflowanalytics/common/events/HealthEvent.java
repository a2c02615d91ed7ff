package io.workflowanalytics.common.events;

import java.time.Instant;
import java.util.List;

/**
 * A service's health, on {@code analytics.health}: published when its status changes and as a heartbeat
 * ({@code previousStatus} equal to the current status) so that a consumer starting later learns the current state.
 * Keyed by service name rather than workflowId: health concerns every workflow. type is always
 * system_health_changed. {@code previousStatus} is absent on a service's first report after start-up.
 * {@code consumerLag} (the largest partition lag of the service's Kafka consumers, absent where it consumes nothing)
 * and {@code checks} (its readiness checks) are optional additions to the spec's ComponentHealth.
 */
public record HealthEvent(
        String eventId,
        Integer schemaVersion,
        Instant occurredAt,
        String type,
        String service,
        HealthStatus previousStatus,
        ComponentHealth component,
        Long consumerLag,
        List<DependencyCheck> checks) {

    public static final String TYPE = "system_health_changed";

    /** The original contract's fields only. */
    public HealthEvent(String eventId, Integer schemaVersion, Instant occurredAt, String type, String service,
                       HealthStatus previousStatus, ComponentHealth component) {
        this(eventId, schemaVersion, occurredAt, type, service, previousStatus, component, null, null);
    }

    /** Whether this is a heartbeat (status unchanged) rather than a change. */
    public boolean heartbeat() {
        return component != null && previousStatus == component.status();
    }
}
