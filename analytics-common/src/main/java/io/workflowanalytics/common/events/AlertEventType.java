package io.workflowanalytics.common.events;

/**
 * Transition an AlertEvent reports (spec: AlertEvent.type, plus the two lifecycle steps the spec's Alert.status has
 * but its AlertEvent does not name: a subscriber must learn that an alert was acknowledged or suppressed).
 */
public enum AlertEventType implements WireEnum {
    ALERT_TRIGGERED, ALERT_ACKNOWLEDGED, ALERT_SUPPRESSED, ALERT_RESOLVED
}
