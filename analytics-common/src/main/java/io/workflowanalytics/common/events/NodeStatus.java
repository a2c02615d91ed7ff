package io.workflowanalytics.common.events;

/** Outcome of one node within an execution. */
public enum NodeStatus implements WireEnum {
    SUCCEEDED, FAILED, SKIPPED
}
