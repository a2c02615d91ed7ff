package io.workflowanalytics.common.events;

/** Event types on the WebSocket stream; the SSE stream names them with an 'analytics.' prefix. */
public enum StreamEventType implements WireEnum {
    METRIC_UPDATE, EXECUTION_STARTED, EXECUTION_COMPLETED, EXECUTION_FAILED, ALERT_TRIGGERED, ALERT_RESOLVED, ANOMALY_DETECTED, SYSTEM_HEALTH_CHANGED, PERFORMANCE_DEGRADATION, COST_THRESHOLD_EXCEEDED
}
