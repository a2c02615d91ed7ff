package io.workflowanalytics.common.events;

/**
 * Event types on the WebSocket stream; the SSE stream names them with an 'analytics.' prefix. events_skipped is the
 * gateway's own notice to a subscriber that fell behind: how many events it did not get (its payload: skipped,
 * fromId, toId).
 */
public enum StreamEventType implements WireEnum {
    METRIC_UPDATE, EXECUTION_STARTED, EXECUTION_COMPLETED, EXECUTION_FAILED, ALERT_TRIGGERED, ALERT_ACKNOWLEDGED, ALERT_SUPPRESSED, ALERT_RESOLVED, ANOMALY_DETECTED, SYSTEM_HEALTH_CHANGED, PERFORMANCE_DEGRADATION, COST_THRESHOLD_EXCEEDED, EVENTS_SKIPPED
}
