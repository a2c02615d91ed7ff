package io.workflowanalytics.common.testing;

import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.CostCategory;
import io.workflowanalytics.common.events.ErrorType;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.NodeStatus;
import io.workflowanalytics.common.events.UserType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Valid events of the contracts for tests (ingest, gateway); each test changes them the way it needs. */
public final class TestEvents {

    private TestEvents() {
    }

    public static AnalyticsMetric metric(String workflowId, MetricType type, double value, Instant at) {
        String id = UUID.randomUUID().toString();
        return new AnalyticsMetric(id, 1, at, id, workflowId, type, value, at.truncatedTo(ChronoUnit.MICROS),
                Map.of("nodeId", "fetch-orders", "region", "eu-west"), List.of("checkout"),
                MetricSource.RUNTIME_ENGINE, AggregationLevel.RAW);
    }

    public static ExecutionEvent started(String workflowId, String executionId, Instant at) {
        return new ExecutionEvent(UUID.randomUUID().toString(), 1, at, ExecutionEventType.EXECUTION_STARTED,
                executionId, workflowId, "v3", "production", "user-7", UserType.POWER_USER, "eu-west", "DE", "desktop",
                at, null, null, null, null, null, null, null);
    }

    /** A finished execution: two nodes (the second failed when failed is true), cpu and memory, two costs. */
    public static ExecutionEvent finished(String workflowId, String executionId, Instant started, boolean failed) {
        Instant finished = started.plusMillis(1500);
        return new ExecutionEvent(UUID.randomUUID().toString(), 1, finished,
                failed ? ExecutionEventType.EXECUTION_FAILED : ExecutionEventType.EXECUTION_COMPLETED,
                executionId, workflowId, "v3", "production", "user-7", UserType.POWER_USER, "eu-west", "DE",
                "desktop", started, finished, 1500.0,
                List.of(new ExecutionEvent.NodeExecution("trigger", "webhook", NodeStatus.SUCCEEDED, started, 20.0,
                                null, null),
                        new ExecutionEvent.NodeExecution("fetch-orders", "http_request",
                                failed ? NodeStatus.FAILED : NodeStatus.SUCCEEDED, started.plusMillis(20), 1480.0,
                                failed ? ErrorType.API_TIMEOUT : null, failed ? "timed out" : null)),
                failed ? ErrorType.API_TIMEOUT : null, failed ? "GET /orders timed out" : null,
                new ExecutionEvent.ResourceUsage(40.0, 256.0, null, null, null),
                List.of(new ExecutionEvent.CostItem(CostCategory.COMPUTE, 0.0015, "vcpu_second", 3.0, 0.0005),
                        new ExecutionEvent.CostItem(CostCategory.API_CALLS, 0.002, "call", 1.0, 0.002)));
    }
}
