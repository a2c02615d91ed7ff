package io.workflowanalytics.common.events;

/** Lifecycle step an ExecutionEvent reports (spec: ExecutionEvent.type). */
public enum ExecutionEventType implements WireEnum {
    EXECUTION_STARTED, EXECUTION_COMPLETED, EXECUTION_FAILED
}
