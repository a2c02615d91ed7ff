package io.workflowanalytics.common.events;

import java.time.Instant;

/** An alert transition on {@code analytics.alerts} (spec: AlertEvent). */
public record AlertEvent(
        String eventId,
        Integer schemaVersion,
        Instant occurredAt,
        AlertEventType type,
        String workflowId,
        Alert alert,
        Instant timestamp) {
}
