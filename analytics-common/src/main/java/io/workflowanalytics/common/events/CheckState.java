package io.workflowanalytics.common.events;

/**
 * State of one readiness check: UP, DOWN, or DEGRADED (UP, but with {@code status: degraded} in its data, as a
 * dependency the service can work without reports itself, e.g. analytics-query's Redis cache).
 */
public enum CheckState implements WireEnum {
    UP, DEGRADED, DOWN
}
