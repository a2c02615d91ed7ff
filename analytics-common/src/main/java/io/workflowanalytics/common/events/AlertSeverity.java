package io.workflowanalytics.common.events;

/** How urgent an alert is (spec: AlertSeverity). */
public enum AlertSeverity implements WireEnum {
    INFO, WARNING, CRITICAL, EMERGENCY
}
