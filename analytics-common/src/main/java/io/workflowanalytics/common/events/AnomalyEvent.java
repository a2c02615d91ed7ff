package io.workflowanalytics.common.events;

import java.time.Instant;

/** A detected anomaly on {@code analytics.anomalies} (spec: AnomalyEvent; type is always anomaly_detected). */
public record AnomalyEvent(
        String eventId,
        Integer schemaVersion,
        Instant occurredAt,
        String type,
        String workflowId,
        AnomalyDetection anomaly,
        Instant timestamp) {

    public static final String TYPE = "anomaly_detected";
}
