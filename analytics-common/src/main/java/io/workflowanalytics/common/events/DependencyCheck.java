package io.workflowanalytics.common.events;

/** One readiness check of a service as its health report carries it: the check's name and state. */
public record DependencyCheck(String name, CheckState state) {
}
