package io.workflowanalytics.common.events;

/** Transition an AlertEvent reports (spec: AlertEvent.type). */
public enum AlertEventType implements WireEnum {
    ALERT_TRIGGERED, ALERT_RESOLVED
}
