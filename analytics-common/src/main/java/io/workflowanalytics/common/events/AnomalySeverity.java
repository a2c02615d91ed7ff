package io.workflowanalytics.common.events;

/** Severity of a detected anomaly (spec: AnomalyDetection.severity). */
public enum AnomalySeverity implements WireEnum {
    LOW, MEDIUM, HIGH
}
