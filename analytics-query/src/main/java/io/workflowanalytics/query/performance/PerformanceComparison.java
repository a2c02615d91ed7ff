package io.workflowanalytics.query.performance;

import io.workflowanalytics.query.performance.PerformanceView.PerformanceMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Spec: Get Performance Comparison. A change counts as an improvement or a regression when it moves the metric by
 * more than {@link #THRESHOLD} (relative) in the better or worse direction.
 */
public record PerformanceComparison(PerformanceMetrics baseline, PerformanceMetrics comparison,
                                    List<Change> improvements, List<Change> regressions) {

    static final double THRESHOLD = 0.05;

    /** One metric's move: values, absolute and relative change (comparison minus baseline). */
    public record Change(String metric, double baseline, double comparison, double change, double changePercent,
                         String description) {
    }

    static PerformanceComparison of(PerformanceMetrics baseline, PerformanceMetrics comparison) {
        List<Change> better = new ArrayList<>();
        List<Change> worse = new ArrayList<>();
        judge("averageExecutionTime", baseline.averageExecutionTime(), comparison.averageExecutionTime(), false,
                better, worse);
        judge("p50ExecutionTime", baseline.p50ExecutionTime(), comparison.p50ExecutionTime(), false, better, worse);
        judge("p95ExecutionTime", baseline.p95ExecutionTime(), comparison.p95ExecutionTime(), false, better, worse);
        judge("p99ExecutionTime", baseline.p99ExecutionTime(), comparison.p99ExecutionTime(), false, better, worse);
        judge("throughput", baseline.throughput(), comparison.throughput(), true, better, worse);
        judge("successRate", baseline.successRate(), comparison.successRate(), true, better, worse);
        judge("cpuAverage", baseline.resourceUtilization().cpu().average(),
                comparison.resourceUtilization().cpu().average(), false, better, worse);
        judge("memoryAverage", baseline.resourceUtilization().memory().average(),
                comparison.resourceUtilization().memory().average(), false, better, worse);
        return new PerformanceComparison(baseline, comparison, better, worse);
    }

    private static void judge(String metric, double before, double after, boolean higherIsBetter, List<Change> better,
                              List<Change> worse) {
        if (before == 0) {
            return;
        }
        double change = after - before;
        double relative = change / Math.abs(before);
        if (Math.abs(relative) <= THRESHOLD) {
            return;
        }
        boolean improved = higherIsBetter == change > 0;
        Change c = new Change(metric, before, after, change, relative * 100, String.format(java.util.Locale.ROOT,
                "%s %s by %.1f%% (%.3f to %.3f)", metric, change > 0 ? "rose" : "fell", Math.abs(relative) * 100,
                before, after));
        (improved ? better : worse).add(c);
    }
}
