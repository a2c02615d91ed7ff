package io.workflowanalytics.common.events;

import java.time.Instant;
import java.util.List;

/**
 * Execution lifecycle event from a runtime engine, on {@code workflow.executions} and {@code analytics.executions}.
 * A started event carries the context (user, region, device, version, environment); completed and failed events
 * add the outcome: duration, per-node timings, error, resource usage and costs.
 */
public record ExecutionEvent(
        String eventId,
        Integer schemaVersion,
        Instant occurredAt,
        ExecutionEventType type,
        String executionId,
        String workflowId,
        String workflowVersion,
        String environment,
        String userId,
        UserType userType,
        String region,
        String country,
        String deviceType,
        Instant startedAt,
        Instant finishedAt,
        Double durationMs,
        List<NodeExecution> nodes,
        ErrorType errorType,
        String errorMessage,
        ResourceUsage resourceUsage,
        List<CostItem> costs) {

    /** Timing and outcome of one node of the workflow graph within this execution. */
    public record NodeExecution(
            String nodeId,
            String nodeType,
            NodeStatus status,
            Instant startedAt,
            Double durationMs,
            ErrorType errorType,
            String errorMessage) {
    }

    /** Resources the execution consumed (spec: ResourceUtilization's cpu, memory and network). */
    public record ResourceUsage(
            Double cpuPercent,
            Double memoryMb,
            Long networkBytesIn,
            Long networkBytesOut,
            Double networkLatencyMs) {
    }

    /** One billed cost component: amount = quantity × unitPrice, in the platform's currency. */
    public record CostItem(
            CostCategory component,
            Double amount,
            String unit,
            Double quantity,
            Double unitPrice) {
    }
}
