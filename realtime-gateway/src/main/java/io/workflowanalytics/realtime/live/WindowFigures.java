package io.workflowanalytics.realtime.live;

/**
 * What the executions that finished in one sliding window ending now show: count, throughput in executions per
 * minute, mean and 95th-percentile duration (ms, exact over the window's executions), success and error rates 0..1.
 */
public record WindowFigures(
        String window,
        long executions,
        double throughput,
        double averageExecutionTime,
        double p95ExecutionTime,
        double successRate,
        double errorRate) {
}
