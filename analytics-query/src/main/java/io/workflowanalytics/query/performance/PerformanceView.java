package io.workflowanalytics.query.performance;

import java.util.List;
import java.util.Map;

/** The performance page's answer (spec: GET /api/workflows/:id/analytics/performance) and its parts. */
public record PerformanceView(
        String workflowId,
        String start,
        String end,
        PerformanceMetrics performanceMetrics,
        List<ExecutionBreakdown> executionTimeBreakdown,
        ResourceUtilization resourceUtilization,
        List<Bottleneck> bottlenecks,
        List<Recommendation> recommendations,
        List<NodePerformance> nodePerformance) {

    /** Spec PerformanceMetrics. Times in ms; throughput in executions per hour; successRate in 0..1. */
    public record PerformanceMetrics(
            long totalExecutions,
            double averageExecutionTime,
            double p50ExecutionTime,
            double p95ExecutionTime,
            double p99ExecutionTime,
            double throughput,
            double successRate,
            ResourceUtilization resourceUtilization) {
    }

    /** Spec ResourceUtilization: cpu in %, memory in MB, network bytes summed and latency averaged (ms). */
    public record ResourceUtilization(Usage cpu, Usage memory, Network network) {
    }

    /** Average and peak over the range, and the average per series bucket (hour, or day beyond two days). */
    public record Usage(double average, double peak, List<Double> utilization) {
    }

    public record Network(double bytesIn, double bytesOut, double latency) {
    }

    /** A node's share of the summed node execution time, {@code percentage} in 0–100. */
    public record ExecutionBreakdown(String nodeId, String nodeType, long executions, double averageTime,
                                     double totalTime, double percentage) {
    }

    public record NodePerformance(String nodeId, String nodeType, long executions, double averageExecutionTime,
                                  double p50ExecutionTime, double p95ExecutionTime, double p99ExecutionTime,
                                  double maxExecutionTime, long failures, double errorRate) {
    }

    /** Spec Bottleneck; impact from the node's share of execution time (docs/api.md). */
    public record Bottleneck(String nodeId, String type, String impact, String description,
                             Map<String, Double> metrics, List<String> suggestedActions) {
    }

    public record Recommendation(String type, String priority, String title, String description, String nodeId,
                                 double expectedImprovementMs) {
    }
}
