package io.workflowanalytics.common.events;

/** Alert lifecycle: active, then acknowledged, resolved or suppressed (spec: AlertStatus). */
public enum AlertStatus implements WireEnum {
    ACTIVE, ACKNOWLEDGED, RESOLVED, SUPPRESSED
}
