package io.workflowanalytics.ingest.pipeline;

import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionMetricsTest {

    private static final String WORKFLOW = UUID.randomUUID().toString();
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void impliedIdsAreTheNameBasedUuidsTheyAlwaysWere() {
        // Stored rows and rollups deduplicate by these ids: a cheaper derivation must give exactly the same ones.
        for (String name : List.of("", "a", UUID.randomUUID() + "/execution_count", UUID.randomUUID() + "/node/ü✓/x",
                "x".repeat(200))) {
            assertEquals(UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                    ExecutionMetrics.nameBasedId(name));
        }
        ExecutionEvent failed = TestEvents.finished(WORKFLOW, UUID.randomUUID().toString(), START, true);
        assertEquals(UUID.nameUUIDFromBytes((failed.eventId() + "/count")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                only(ExecutionMetrics.expand(failed), MetricType.EXECUTION_COUNT, null).id());
    }

    @Test
    void startedExecutionImpliesNoMetric() {
        assertTrue(ExecutionMetrics.expand(TestEvents.started(WORKFLOW, UUID.randomUUID().toString(), START)).isEmpty());
    }

    @Test
    void failedExecutionImpliesWorkflowAndNodeMetrics() {
        ExecutionEvent failed = TestEvents.finished(WORKFLOW, UUID.randomUUID().toString(), START, true);
        List<AnalyticsMetric> metrics = ExecutionMetrics.expand(failed);
        // 4 outcome metrics + cpu + memory + 2 costs + 2 nodes × (time, error)
        assertEquals(12, metrics.size());
        assertEquals(1.0, only(metrics, MetricType.EXECUTION_COUNT, null).value());
        assertEquals(1500.0, only(metrics, MetricType.EXECUTION_TIME, null).value());
        assertEquals(0.0, only(metrics, MetricType.SUCCESS_RATE, null).value());
        AnalyticsMetric error = only(metrics, MetricType.ERROR_RATE, null);
        assertEquals(1.0, error.value());
        assertEquals("api_timeout", error.dimensions().get("errorType"));
        assertEquals(1480.0, only(metrics, MetricType.EXECUTION_TIME, "fetch-orders").value());
        assertEquals(1.0, only(metrics, MetricType.ERROR_RATE, "fetch-orders").value());
        assertEquals(0.0, only(metrics, MetricType.ERROR_RATE, "trigger").value());
        double cost = metrics.stream().filter(m -> m.metricType() == MetricType.COST).mapToDouble(AnalyticsMetric::value).sum();
        assertEquals(0.0035, cost, 1e-12);
        for (AnalyticsMetric m : metrics) {
            assertEquals(failed.finishedAt(), m.timestamp());
            assertEquals(failed.executionId(), m.dimensions().get("executionId"));
            assertEquals("DE", m.dimensions().get("country"));
            assertEquals(m.id(), m.eventId());
        }
    }

    @Test
    void redeliveredEventImpliesTheSameMetricIds() {
        ExecutionEvent completed = TestEvents.finished(WORKFLOW, UUID.randomUUID().toString(), START, false);
        assertEquals(ExecutionMetrics.expand(completed).stream().map(AnalyticsMetric::id).toList(),
                ExecutionMetrics.expand(completed).stream().map(AnalyticsMetric::id).toList());
        assertEquals(12, ExecutionMetrics.expand(completed).stream().map(AnalyticsMetric::id).distinct().count());
    }

    @Test
    void aNodeRunTwiceAndACostComponentBilledTwiceImplyAMetricEach() {
        ExecutionEvent e = TestEvents.finished(WORKFLOW, UUID.randomUUID().toString(), START, false);
        ExecutionEvent.NodeExecution node = e.nodes().get(1);
        var retried = new ExecutionEvent.NodeExecution(node.nodeId(), node.nodeType(),
                io.workflowanalytics.common.events.NodeStatus.FAILED, node.startedAt(), 300.0,
                io.workflowanalytics.common.events.ErrorType.API_TIMEOUT, "timed out");
        ExecutionEvent.CostItem cost = e.costs().get(0);
        ExecutionEvent twice = new ExecutionEvent(e.eventId(), e.schemaVersion(), e.occurredAt(), e.type(),
                e.executionId(), e.workflowId(), e.workflowVersion(), e.environment(), e.userId(), e.userType(),
                e.region(), e.country(), e.deviceType(), e.startedAt(), e.finishedAt(), e.durationMs(),
                List.of(e.nodes().get(0), retried, node), e.errorType(), e.errorMessage(), e.resourceUsage(),
                List.of(cost, e.costs().get(1), cost));
        List<AnalyticsMetric> metrics = ExecutionMetrics.expand(twice);
        assertEquals(metrics.size(), metrics.stream().map(AnalyticsMetric::id).distinct().count(),
                "every implied metric has its own id: none is stored once for two");
        assertEquals(List.of(300.0, node.durationMs()), metrics.stream()
                .filter(m -> m.metricType() == MetricType.EXECUTION_TIME && node.nodeId().equals(
                        m.dimensions().get("nodeId"))).map(AnalyticsMetric::value).toList());
        assertEquals(2 * cost.amount() + e.costs().get(1).amount(), metrics.stream()
                .filter(m -> m.metricType() == MetricType.COST).mapToDouble(AnalyticsMetric::value).sum(), 1e-12);
        // the first appearance keeps the id it always had
        assertEquals(ExecutionMetrics.expand(e).stream().map(AnalyticsMetric::id).toList().subList(0, 8),
                metrics.stream().map(AnalyticsMetric::id).toList().subList(0, 8));
    }

    private static AnalyticsMetric only(List<AnalyticsMetric> metrics, MetricType type, String nodeId) {
        List<AnalyticsMetric> found = metrics.stream().filter(m -> m.metricType() == type)
                .filter(m -> java.util.Objects.equals(nodeId, m.dimensions().get("nodeId"))).toList();
        assertEquals(1, found.size(), type + " " + nodeId + ": " + found);
        return found.get(0);
    }
}
