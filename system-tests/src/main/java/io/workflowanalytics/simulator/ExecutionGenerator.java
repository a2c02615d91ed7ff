package io.workflowanalytics.simulator;

import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.CostCategory;
import io.workflowanalytics.common.events.ErrorType;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.NodeStatus;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generates what a runtime engine would report for one execution: a started event and a completed or failed one
 * with per-node timings, resource usage and costs, shaped by the workflow's model, the user, daily and weekly
 * seasonality and the incidents in force.
 */
final class ExecutionGenerator {

    private final Random random;
    private final List<Incident> incidents;

    ExecutionGenerator(Random random, List<Incident> incidents) {
        this.random = random;
        this.incidents = incidents;
    }

    /** Relative load at t: a daily curve peaking at 14:00 UTC, weekends at 55 %. */
    static double seasonality(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        double hour = z.getHour() + z.getMinute() / 60.0;
        double daily = 0.3 + 0.7 * Math.exp(-Math.pow(hour - 14, 2) / (2 * 16));
        boolean weekend = z.getDayOfWeek() == DayOfWeek.SATURDAY || z.getDayOfWeek() == DayOfWeek.SUNDAY;
        return daily * (weekend ? 0.55 : 1.0);
    }

    /** The started and finished events of one execution of w beginning at t. */
    List<ExecutionEvent> execution(WorkflowModel w, Instant t) {
        WorkflowModel.User user = w.drawUser(random);
        String version = random.nextDouble() < 0.6 ? "v3" : random.nextDouble() < 0.75 ? "v2" : "v1";
        String environment = random.nextDouble() < 0.85 ? "production" : "staging";
        String executionId = uuid();
        ExecutionEvent started = new ExecutionEvent(uuid(), 1, t,
                ExecutionEventType.EXECUTION_STARTED, executionId, w.id(), version, environment, user.userId(),
                user.type(), user.region(), user.country(), user.deviceType(), t, null, null, null, null, null, null,
                null);

        List<ExecutionEvent.NodeExecution> nodes = new ArrayList<>();
        Instant cursor = t;
        ErrorType failure = null;
        String failureMessage = null;
        double apiCalls = 0;
        double thirdPartyCalls = 0;
        for (WorkflowModel.Node node : w.nodes()) {
            double slow = factor(Incident.SLOW_API, w.id(), node.nodeId(), cursor);
            double duration = node.medianMs() * Math.exp(random.nextGaussian() * 0.35) * slow
                    * (version.equals("v3") ? 0.9 : 1.0);
            double failureRate = node.failureRate() * factor(Incident.ERROR_SPIKE, w.id(), node.nodeId(), cursor);
            boolean failed = random.nextDouble() < Math.min(failureRate, 0.95);
            apiCalls += node.apiCallsPerRun();
            if (node.nodeType().equals("ml_inference") || node.nodeType().equals("email")) {
                thirdPartyCalls += 1;
            }
            String message = failed ? node.errorType().wire() + " in " + node.nodeId() : null;
            nodes.add(new ExecutionEvent.NodeExecution(node.nodeId(), node.nodeType(),
                    failed ? NodeStatus.FAILED : NodeStatus.SUCCEEDED, cursor, round(duration),
                    failed ? node.errorType() : null, message));
            cursor = cursor.plusNanos((long) (duration * 1_000_000));
            if (failed) {
                failure = node.errorType();
                failureMessage = message;
                break;
            }
        }
        double durationMs = round(java.time.Duration.between(t, cursor).toNanos() / 1e6 + 5);
        Instant finished = t.plusNanos((long) (durationMs * 1_000_000));
        double cpu = round(10 + random.nextDouble() * 60 + (failure == ErrorType.RESOURCE_EXHAUSTION ? 25 : 0));
        double memory = round(128 + random.nextDouble() * 384);
        long bytesIn = 2_000 + random.nextInt(200_000);
        long bytesOut = 500 + random.nextInt(40_000);
        double costJump = factor(Incident.COST_JUMP, w.id(), null, t);
        List<ExecutionEvent.CostItem> costs = List.of(
                cost(CostCategory.COMPUTE, "vcpu_second", durationMs / 1000 * cpu / 100, 0.0005),
                cost(CostCategory.API_CALLS, "call", apiCalls, 0.002),
                cost(CostCategory.THIRD_PARTY_SERVICES, "call", thirdPartyCalls, 0.004 * costJump),
                cost(CostCategory.STORAGE, "mb", memory / 100, 0.00002),
                cost(CostCategory.NETWORK, "mb", (bytesIn + bytesOut) / 1e6, 0.0001),
                cost(CostCategory.OVERHEAD, "execution", 1, 0.0002));
        ExecutionEvent done = new ExecutionEvent(uuid(), 1, finished,
                failure == null ? ExecutionEventType.EXECUTION_COMPLETED : ExecutionEventType.EXECUTION_FAILED,
                executionId, w.id(), version, environment, user.userId(), user.type(), user.region(), user.country(),
                user.deviceType(), t, finished, durationMs, nodes, failure, failureMessage,
                new ExecutionEvent.ResourceUsage(cpu, memory, bytesIn, bytesOut, round(20 + random.nextDouble() * 80)),
                costs.stream().filter(c -> c.amount() > 0).toList());
        return List.of(started, done);
    }

    /** A workflow-level throughput sample (executions in the last minute), as a usage tracker reports it. */
    AnalyticsMetric throughput(WorkflowModel w, Instant minute, double executions) {
        String id = uuid();
        return new AnalyticsMetric(id, 1, minute, id, w.id(), MetricType.THROUGHPUT, executions, minute,
                Map.of("environment", "production"), List.of("simulator"), MetricSource.USAGE_TRACKER,
                AggregationLevel.MINUTE);
    }

    /** A raw node-level latency sample, for load tests that want metrics only. */
    AnalyticsMetric nodeLatency(WorkflowModel w, Instant t) {
        WorkflowModel.Node node = w.nodes().get(random.nextInt(w.nodes().size()));
        String id = uuid();
        return new AnalyticsMetric(id, 1, t, id, w.id(), MetricType.EXECUTION_TIME,
                round(node.medianMs() * Math.exp(random.nextGaussian() * 0.35)), t,
                Map.of("nodeId", node.nodeId(), "nodeType", node.nodeType(), "environment", "production"),
                List.of("simulator"), MetricSource.RUNTIME_ENGINE, AggregationLevel.RAW);
    }

    /** A version-4 UUID from the seeded generator, so that a seed reproduces the same events. */
    private String uuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private double factor(String type, String workflow, String nodeId, Instant t) {
        for (Incident i : incidents) {
            if (i.type().equals(type) && i.active(workflow, t) && (nodeId == null || nodeId.equals(i.nodeId()))) {
                return i.factor();
            }
        }
        return 1;
    }

    private static ExecutionEvent.CostItem cost(CostCategory category, String unit, double quantity, double unitPrice) {
        double q = round6(quantity);
        return new ExecutionEvent.CostItem(category, round6(q * unitPrice), unit, q, unitPrice);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double round6(double v) {
        return Math.round(v * 1_000_000) / 1_000_000.0;
    }
}
