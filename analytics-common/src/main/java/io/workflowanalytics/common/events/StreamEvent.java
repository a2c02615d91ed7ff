package io.workflowanalytics.common.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The envelope every WebSocket message and SSE event carries to a subscriber. {@code id} increases per workflow and
 * is what SSE clients send back as Last-Event-ID; payload is the metric, execution, alert, anomaly or health record;
 * timestamp is when the event happened (the metric's timestamp, the execution's occurredAt, …) and receivedAt when the
 * gateway consumed it, so a client can tell the pipeline's delay from the gateway's.
 */
public record StreamEvent(
        String id,
        StreamEventType type,
        String workflowId,
        JsonNode payload,
        Instant timestamp,
        Instant receivedAt) {

    /** The SSE event name: the WebSocket type with the spec's {@code analytics.} prefix. */
    public String sseName() {
        return "analytics." + type.wire();
    }
}
