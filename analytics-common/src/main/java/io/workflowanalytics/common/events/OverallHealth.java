package io.workflowanalytics.common.events;

/** Overall status of the suite (spec: SystemHealth.overall). */
public enum OverallHealth implements WireEnum {
    HEALTHY, DEGRADED, UNHEALTHY
}
