package io.workflowanalytics.common.events;

/** Status of one component (spec: ComponentHealth.status). */
public enum HealthStatus implements WireEnum {
    HEALTHY, WARNING, CRITICAL, DOWN
}
