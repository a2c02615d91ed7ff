package io.workflowanalytics.common.events;

/** Kinds of alert (spec: AlertType, plus cost_threshold_exceeded, raised by the budget rules). */
public enum AlertType implements WireEnum {
    PERFORMANCE_DEGRADATION, ERROR_RATE_SPIKE, RESOURCE_EXHAUSTION, ANOMALY_DETECTION, SYSTEM_FAILURE, COST_THRESHOLD_EXCEEDED
}
