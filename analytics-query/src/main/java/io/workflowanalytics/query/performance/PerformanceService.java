package io.workflowanalytics.query.performance;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.performance.PerformanceView.Bottleneck;
import io.workflowanalytics.query.performance.PerformanceView.ExecutionBreakdown;
import io.workflowanalytics.query.performance.PerformanceView.Network;
import io.workflowanalytics.query.performance.PerformanceView.NodePerformance;
import io.workflowanalytics.query.performance.PerformanceView.PerformanceMetrics;
import io.workflowanalytics.query.performance.PerformanceView.Recommendation;
import io.workflowanalytics.query.performance.PerformanceView.ResourceUtilization;
import io.workflowanalytics.query.performance.PerformanceView.Usage;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Granularity;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.NodeCatalog;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Performance analysis from the rollups: headline figures with percentiles from merged sketches, per-node timing,
 * resource utilisation and the bottlenecks the numbers point at (rules in docs/api.md).
 */
@ApplicationScoped
public class PerformanceService {

    /** A node is a bottleneck when it takes at least this share of the summed node time … */
    static final double DOMINANT_SHARE = 0.25;
    /** … or its p99 is at least this many times its median (a heavy tail), over at least {@link #TAIL_MIN_COUNT}. */
    static final double TAIL_RATIO = 3.0;
    static final long TAIL_MIN_COUNT = 20;
    static final double HIGH_CPU_PERCENT = 70;
    /**
     * Memory leaks: the workflow's memory series (per hour, per day beyond two days) rises along a straight line
     * (R² at least {@link #LEAK_MIN_FIT}) by at least {@link #LEAK_MIN_GROWTH} of its fitted start over at least
     * {@link #LEAK_MIN_POINTS} points. Noise around a level, or one spike, fits no rising line that well.
     */
    static final double LEAK_MIN_GROWTH = 0.2;
    static final double LEAK_MIN_FIT = 0.8;
    static final int LEAK_MIN_POINTS = 6;

    private final RollupReader rollups;
    private final NodeCatalog nodes;

    public PerformanceService(RollupReader rollups, NodeCatalog nodes) {
        this.rollups = rollups;
        this.nodes = nodes;
    }

    /** The headline figures alone (for comparisons of two periods). */
    public Uni<PerformanceMetrics> metrics(UUID workflow, TimeRange range) {
        RangePlan plan = RangePlan.of(range);
        return Uni.combine().all().unis(
                        rollups.whole(workflow, MetricType.EXECUTION_TIME, plan, true),
                        rollups.whole(workflow, MetricType.EXECUTION_COUNT, plan, false),
                        rollups.whole(workflow, MetricType.SUCCESS_RATE, plan, false),
                        resources(workflow, plan))
                .with((time, count, success, resources) -> headline(plan, time, count, success, resources));
    }

    public Uni<PerformanceView> analyse(UUID workflow, TimeRange range, boolean withBottlenecks,
                                        boolean withRecommendations) {
        RangePlan plan = RangePlan.of(range);
        Granularity seriesWidth = plan.range().duration().compareTo(Duration.ofDays(2)) > 0 ? Granularity.DAY
                : Granularity.HOUR;
        return Uni.combine().all().unis(
                        metrics(workflow, range),
                        rollups.byGroup(workflow, MetricType.EXECUTION_TIME, Dimensions.NODE_ID, plan, true),
                        rollups.byGroup(workflow, MetricType.ERROR_RATE, Dimensions.NODE_ID, plan, false),
                        rollups.series(workflow, MetricType.RESOURCE_USAGE, Groupings.RESOURCE, "cpu",
                                plan.range(), seriesWidth),
                        rollups.series(workflow, MetricType.RESOURCE_USAGE, Groupings.RESOURCE, "memory",
                                plan.range(), seriesWidth),
                        nodes.types(workflow))
                .with((metrics, nodeTimes, nodeErrors, cpuSeries, memorySeries, nodeTypes) -> {
                    ResourceUtilization base = metrics.resourceUtilization();
                    ResourceUtilization utilisation = new ResourceUtilization(
                            new Usage(base.cpu().average(), base.cpu().peak(), averages(cpuSeries)),
                            new Usage(base.memory().average(), base.memory().peak(), averages(memorySeries)),
                            base.network());
                    PerformanceMetrics headline = new PerformanceMetrics(metrics.totalExecutions(),
                            metrics.averageExecutionTime(), metrics.p50ExecutionTime(), metrics.p95ExecutionTime(),
                            metrics.p99ExecutionTime(), metrics.throughput(), metrics.successRate(), utilisation);
                    List<NodePerformance> perNode = nodePerformance(nodeTimes, nodeErrors, nodeTypes);
                    List<ExecutionBreakdown> breakdown = breakdown(nodeTimes, nodeTypes);
                    List<Bottleneck> bottlenecks = bottlenecks(perNode, breakdown, utilisation);
                    memoryLeak(memorySeries).ifPresent(bottlenecks::add);
                    List<Recommendation> recommendations = recommendations(bottlenecks, perNode, headline);
                    return new PerformanceView(workflow.toString(), plan.start().toString(), plan.end().toString(),
                            headline, breakdown, utilisation, withBottlenecks ? bottlenecks : List.of(),
                            withRecommendations ? recommendations : List.of(), perNode);
                });
    }

    private Uni<Map<String, Aggregate>> resources(UUID workflow, RangePlan plan) {
        return rollups.byGroup(workflow, MetricType.RESOURCE_USAGE, Groupings.RESOURCE, plan, false);
    }

    private static PerformanceMetrics headline(RangePlan plan, Aggregate time, Aggregate count, Aggregate success,
                                               Map<String, Aggregate> resources) {
        double hours = plan.range().duration().toSeconds() / 3600.0;
        long executions = count.sum().longValue();
        ResourceUtilization utilisation = new ResourceUtilization(
                usage(resources.get("cpu")), usage(resources.get("memory")),
                new Network(total(resources.get("network_in")), total(resources.get("network_out")),
                        mean(resources.get("network_latency"))));
        return new PerformanceMetrics(executions, time.mean(), time.quantile(0.50), time.quantile(0.95),
                time.quantile(0.99), executions / hours, success.mean(), utilisation);
    }

    private static Usage usage(Aggregate a) {
        return a == null ? new Usage(0, 0, List.of()) : new Usage(a.mean(), a.max(), List.of());
    }

    private static double total(Aggregate a) {
        return a == null ? 0 : a.total();
    }

    private static double mean(Aggregate a) {
        return a == null ? 0 : a.mean();
    }

    private static List<Double> averages(List<RollupReader.Point> series) {
        List<Double> out = new ArrayList<>(series.size());
        series.forEach(p -> out.add(p.aggregate().mean()));
        return out;
    }

    private static List<NodePerformance> nodePerformance(Map<String, Aggregate> times, Map<String, Aggregate> errors,
                                                         Map<String, String> types) {
        List<NodePerformance> out = new ArrayList<>();
        times.forEach((node, t) -> {
            Aggregate e = errors.getOrDefault(node, Aggregate.EMPTY);
            out.add(new NodePerformance(node, types.get(node), t.count(), t.mean(), t.quantile(0.50),
                    t.quantile(0.95), t.quantile(0.99), t.max(), e.sum().longValue(), e.mean()));
        });
        // Nodes that only ever failed (no duration) still appear.
        errors.forEach((node, e) -> {
            if (!times.containsKey(node)) {
                out.add(new NodePerformance(node, types.get(node), 0, 0, 0, 0, 0, 0, e.sum().longValue(), e.mean()));
            }
        });
        out.sort(Comparator.comparing(NodePerformance::nodeId));
        return out;
    }

    private static List<ExecutionBreakdown> breakdown(Map<String, Aggregate> times, Map<String, String> types) {
        double all = times.values().stream().mapToDouble(Aggregate::total).sum();
        List<ExecutionBreakdown> out = new ArrayList<>();
        times.forEach((node, t) -> out.add(new ExecutionBreakdown(node, types.get(node), t.count(), t.mean(),
                t.total(), all == 0 ? 0 : t.total() / all * 100)));
        out.sort(Comparator.comparingDouble(ExecutionBreakdown::totalTime).reversed()
                .thenComparing(ExecutionBreakdown::nodeId));
        return out;
    }

    static List<Bottleneck> bottlenecks(List<NodePerformance> nodes, List<ExecutionBreakdown> breakdown,
                                        ResourceUtilization utilisation) {
        Map<String, Double> share = new LinkedHashMap<>();
        breakdown.forEach(b -> share.put(b.nodeId(), b.percentage() / 100));
        List<Bottleneck> out = new ArrayList<>();
        for (NodePerformance n : nodes) {
            double s = share.getOrDefault(n.nodeId(), 0.0);
            double tail = n.p50ExecutionTime() > 0 ? n.p99ExecutionTime() / n.p50ExecutionTime() : 0;
            boolean dominant = s >= DOMINANT_SHARE;
            boolean heavyTail = n.executions() >= TAIL_MIN_COUNT && tail >= TAIL_RATIO;
            if (!dominant && !heavyTail) {
                continue;
            }
            String type = classify(n.nodeType(), utilisation.cpu().average());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("averageExecutionTime", n.averageExecutionTime());
            metrics.put("p50ExecutionTime", n.p50ExecutionTime());
            metrics.put("p99ExecutionTime", n.p99ExecutionTime());
            metrics.put("shareOfExecutionTime", s);
            metrics.put("tailRatio", tail);
            metrics.put("errorRate", n.errorRate());
            String description = String.format(java.util.Locale.ROOT,
                    "Node %s takes %.0f%% of execution time (average %.0f ms, p99 %.0f ms, %.1f× its median)",
                    n.nodeId(), s * 100, n.averageExecutionTime(), n.p99ExecutionTime(), tail);
            out.add(new Bottleneck(n.nodeId(), type, impact(s, heavyTail), description, metrics, actions(type)));
        }
        out.sort(Comparator.comparing((Bottleneck b) -> b.metrics().get("shareOfExecutionTime")).reversed());
        return out;
    }

    /**
     * A workflow-wide bottleneck (no node: memory is measured per execution, not per node) when memory grows steadily
     * over the range; the least-squares line over the points' means, x in hours since the first point.
     */
    static java.util.Optional<Bottleneck> memoryLeak(List<RollupReader.Point> memory) {
        int n = memory.size();
        if (n < LEAK_MIN_POINTS) {
            return java.util.Optional.empty();
        }
        Instant first = memory.get(0).bucket();
        SimpleRegression line = new SimpleRegression();
        double meanY = 0;
        for (RollupReader.Point p : memory) {
            line.addData(Duration.between(first, p.bucket()).toSeconds() / 3600.0, p.aggregate().mean());
            meanY += p.aggregate().mean() / n;
        }
        double slope = line.getSlope();
        double fit = line.getRSquare();
        // NaN (all points at one time, or one level) is no rising line either.
        if (!(slope > 0) || !(fit >= LEAK_MIN_FIT)) {
            return java.util.Optional.empty();
        }
        double start = line.getIntercept();
        double end = line.predict(Duration.between(first, memory.get(n - 1).bucket()).toSeconds() / 3600.0);
        // Relative to the line's start; to the mean where the line starts at or below zero (JSON has no infinity).
        double growth = (end - start) / (start > 0 ? start : meanY);
        if (growth < LEAK_MIN_GROWTH) {
            return java.util.Optional.empty();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("memoryAtStart", start);
        metrics.put("memoryAtEnd", end);
        metrics.put("growth", growth);
        metrics.put("growthPerHour", slope);
        metrics.put("fit", fit);
        metrics.put("points", (double) n);
        String impact = growth >= 1.0 ? "critical" : growth >= 0.5 ? "high" : "medium";
        String description = String.format(java.util.Locale.ROOT, "Memory grows steadily over the range, from %.0f "
                + "to %.0f MB (+%.0f%%, %.2f MB an hour, R² %.2f over %d points): a leak or a cache without bound",
                start, end, growth * 100, slope, fit, n);
        return java.util.Optional.of(new Bottleneck(null, "memory_leak", impact, description, metrics,
                actions("memory_leak")));
    }

    /** Impact from the share of execution time; a heavy tail alone is at least medium. */
    static String impact(double share, boolean heavyTail) {
        if (share >= 0.5) {
            return "critical";
        }
        if (share >= 0.3) {
            return "high";
        }
        if (share >= 0.15 || heavyTail) {
            return "medium";
        }
        return "low";
    }

    static String classify(String nodeType, double cpuAverage) {
        String t = nodeType == null ? "" : nodeType.toLowerCase(java.util.Locale.ROOT);
        if (t.contains("http") || t.contains("api") || t.contains("webhook") || t.contains("email")
                || t.contains("inference")) {
            return "slow_api_call";
        }
        if (t.contains("database") || t.contains("sql") || t.contains("storage") || t.contains("db")) {
            return "database_query";
        }
        if (t.contains("queue") || t.contains("network")) {
            return "network_latency";
        }
        return cpuAverage >= HIGH_CPU_PERCENT ? "cpu_intensive" : "inefficient_algorithm";
    }

    private static List<String> actions(String type) {
        return switch (type) {
            case "slow_api_call" -> List.of("Cache responses of the called API where they can be reused",
                    "Set a timeout with retries and a circuit breaker on the call",
                    "Batch or parallelise independent calls");
            case "database_query" -> List.of("Check the query plan and add the index it lacks",
                    "Batch writes and fetch only the columns needed", "Reuse connections from a pool");
            case "network_latency" -> List.of("Move the node closer to the service it talks to",
                    "Compress or batch messages");
            case "memory_leak" -> List.of("Compare heap snapshots taken early and late in a run: what stays retained",
                    "Bound the caches and collections that grow with each execution",
                    "Close the connections, streams and listeners that nodes open");
            case "cpu_intensive" -> List.of("Give the node more CPU or split its work across executions",
                    "Profile the node's code for hot spots");
            default -> List.of("Profile the node's code for hot spots",
                    "Use a more efficient algorithm or data structure");
        };
    }

    private static List<Recommendation> recommendations(List<Bottleneck> bottlenecks, List<NodePerformance> nodes,
                                                        PerformanceMetrics headline) {
        Map<String, NodePerformance> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.nodeId(), n));
        List<Recommendation> out = new ArrayList<>();
        for (Bottleneck b : bottlenecks) {
            if (b.nodeId() == null) {
                // Workflow-wide (a memory leak): no node time to win back.
                out.add(new Recommendation(b.type(), b.impact(), "Stop the memory growth", b.suggestedActions().get(0),
                        null, 0));
                continue;
            }
            NodePerformance n = byId.get(b.nodeId());
            // Removing the tail brings the average down to the median; a dominant node is assumed 25% improvable.
            double gain = Math.max(n.averageExecutionTime() - n.p50ExecutionTime(), 0.25 * n.averageExecutionTime());
            out.add(new Recommendation(b.type(), b.impact(), "Speed up node " + b.nodeId(), b.suggestedActions().get(0),
                    b.nodeId(), gain));
        }
        if (headline.totalExecutions() > 0 && headline.successRate() < 0.95) {
            out.add(new Recommendation("reliability", headline.successRate() < 0.9 ? "high" : "medium",
                    "Reduce failures", String.format(java.util.Locale.ROOT,
                    "%.1f%% of executions fail; see the error analysis for the nodes and causes",
                    (1 - headline.successRate()) * 100), null, 0));
        }
        return out;
    }
}
