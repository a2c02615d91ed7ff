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

    /**
     * One metric's direction from a period to the next (a stored PerformanceAnalysis's {@code trends}): improving or
     * degrading when it moved by more than {@link #THRESHOLD} in the better or worse direction, else stable
     * (also when the earlier period had no value to compare with; then {@code changePercent} is 0).
     */
    public record Trend(String metric, String direction, double previous, double current, double changePercent) {
    }

    /** The metrics compared, and whether higher is better for each. */
    private record Measure(String name, java.util.function.ToDoubleFunction<PerformanceMetrics> value,
                           boolean higherIsBetter) {
    }

    private static final List<Measure> MEASURES = List.of(
            new Measure("averageExecutionTime", PerformanceMetrics::averageExecutionTime, false),
            new Measure("p50ExecutionTime", PerformanceMetrics::p50ExecutionTime, false),
            new Measure("p95ExecutionTime", PerformanceMetrics::p95ExecutionTime, false),
            new Measure("p99ExecutionTime", PerformanceMetrics::p99ExecutionTime, false),
            new Measure("throughput", PerformanceMetrics::throughput, true),
            new Measure("successRate", PerformanceMetrics::successRate, true),
            new Measure("cpuAverage", m -> m.resourceUtilization().cpu().average(), false),
            new Measure("memoryAverage", m -> m.resourceUtilization().memory().average(), false));

    static PerformanceComparison of(PerformanceMetrics baseline, PerformanceMetrics comparison) {
        List<Change> better = new ArrayList<>();
        List<Change> worse = new ArrayList<>();
        for (Measure m : MEASURES) {
            double before = m.value().applyAsDouble(baseline);
            double after = m.value().applyAsDouble(comparison);
            String direction = direction(before, after, m.higherIsBetter());
            if (!"stable".equals(direction)) {
                double change = after - before;
                Change c = new Change(m.name(), before, after, change, change / Math.abs(before) * 100,
                        String.format(java.util.Locale.ROOT, "%s %s by %.1f%% (%.3f to %.3f)", m.name(),
                                change > 0 ? "rose" : "fell", Math.abs(change / before) * 100, before, after));
                ("improving".equals(direction) ? better : worse).add(c);
            }
        }
        return new PerformanceComparison(baseline, comparison, better, worse);
    }

    /** Every metric's trend from the previous period to the current one, in a fixed order. */
    public static List<Trend> trends(PerformanceMetrics previous, PerformanceMetrics current) {
        List<Trend> out = new ArrayList<>();
        for (Measure m : MEASURES) {
            double before = m.value().applyAsDouble(previous);
            double after = m.value().applyAsDouble(current);
            out.add(new Trend(m.name(), direction(before, after, m.higherIsBetter()), before, after,
                    before == 0 ? 0 : (after - before) / Math.abs(before) * 100));
        }
        return out;
    }

    private static String direction(double before, double after, boolean higherIsBetter) {
        if (before == 0 || Math.abs((after - before) / before) <= THRESHOLD) {
            return "stable";
        }
        return higherIsBetter == after > before ? "improving" : "degrading";
    }
}
