package io.workflowanalytics.query.testing;

import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.NodeStatus;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.events.UserType;
import io.workflowanalytics.common.testing.TestKafka;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A seeded, generated history of one workflow as metrics-ingest publishes it: execution events on
 * analytics.executions and the metrics they imply on analytics.metrics (docs/events). Tests send it through Kafka
 * and compute their expectations from {@link #metrics} by brute force.
 */
public final class Dataset {

    public static final String[][] NODES = {{"fetch", "http_request"}, {"shape", "transform"},
            {"save", "database_query"}};
    static final String[] COUNTRIES = {"US", "DE", "JP", "BR"};
    static final String[] REGIONS = {"north_america", "europe", "asia", "south_america"};
    static final String[] DEVICES = {"desktop", "mobile", "tablet"};
    static final String[] ERRORS = {"api_timeout", "validation_error", "network_error"};

    public final String workflowId = UUID.randomUUID().toString();
    public final List<AnalyticsMetric> metrics = new ArrayList<>();
    public final List<ExecutionEvent> executions = new ArrayList<>();
    private Instant start;
    private double memoryGrowthPerHour;

    /**
     * {@code count} executions spread over [start, start + span), by 12 users; version 2 is slower, the fetch node
     * has a heavy tail, about 10% fail.
     */
    public static Dataset generate(long seed, int count, Instant start, Duration span) {
        return generate(seed, count, start, span, 0);
    }

    /** As above, with each execution's memory {@code memoryGrowthPerHour} MB higher per hour since {@code start}. */
    public static Dataset generate(long seed, int count, Instant start, Duration span, double memoryGrowthPerHour) {
        Dataset d = new Dataset();
        d.start = start;
        d.memoryGrowthPerHour = memoryGrowthPerHour;
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            Instant finished = start.plusMillis((long) (random.nextDouble() * span.toMillis()));
            d.execution(random, finished, i);
        }
        d.metrics.sort(Comparator.comparing(AnalyticsMetric::timestamp));
        return d;
    }

    private void execution(Random random, Instant finished, int i) {
        int user = (int) Math.floor(Math.pow(random.nextDouble(), 2) * 12);
        String version = random.nextDouble() < 0.5 ? "1" : "2";
        String environment = random.nextDouble() < 0.8 ? "production" : "staging";
        int place = user % COUNTRIES.length;
        Map<String, Object> context = new LinkedHashMap<>();
        String executionId = UUID.randomUUID().toString();
        context.put(Dimensions.EXECUTION_ID, executionId);
        context.put(Dimensions.USER_ID, "user-" + user);
        context.put(Dimensions.USER_TYPE, (user < 2 ? UserType.POWER_USER : user < 6 ? UserType.REGULAR_USER
                : UserType.OCCASIONAL_USER).wire());
        context.put(Dimensions.COUNTRY, COUNTRIES[place]);
        context.put(Dimensions.REGION, REGIONS[place]);
        context.put(Dimensions.DEVICE_TYPE, DEVICES[user % DEVICES.length]);
        context.put(Dimensions.VERSION, version);
        context.put(Dimensions.ENVIRONMENT, environment);

        boolean failed = random.nextDouble() < 0.10;
        String errorType = failed ? ERRORS[random.nextInt(ERRORS.length)] : null;
        int failedNode = failed ? random.nextInt(NODES.length) : -1;
        double total = 0;
        List<ExecutionEvent.NodeExecution> nodes = new ArrayList<>();
        for (int n = 0; n < NODES.length; n++) {
            if (failed && n > failedNode) {
                break;
            }
            double base = switch (n) {
                case 0 -> random.nextDouble() < 0.05 ? 2000 + random.nextDouble() * 3000 : 200 + random.nextDouble() * 100;
                case 1 -> 30 + random.nextGaussian() * 5;
                default -> 80 + random.nextDouble() * 40;
            };
            double ms = round3(Math.max(1, base * ("2".equals(version) ? 1.3 : 1.0)));
            total += ms;
            boolean nodeFailed = n == failedNode;
            Map<String, Object> dims = new LinkedHashMap<>(context);
            dims.put(Dimensions.NODE_ID, NODES[n][0]);
            dims.put(Dimensions.NODE_TYPE, NODES[n][1]);
            metric(MetricType.EXECUTION_TIME, ms, finished, dims);
            Map<String, Object> errorDims = new LinkedHashMap<>(dims);
            if (nodeFailed) {
                errorDims.put(Dimensions.ERROR_TYPE, errorType);
            }
            metric(MetricType.ERROR_RATE, nodeFailed ? 1 : 0, finished, errorDims);
            nodes.add(new ExecutionEvent.NodeExecution(NODES[n][0], NODES[n][1],
                    nodeFailed ? NodeStatus.FAILED : NodeStatus.SUCCEEDED, finished.minusMillis((long) total),
                    ms, nodeFailed ? io.workflowanalytics.common.events.ErrorType.valueOf(errorType.toUpperCase())
                    : null, nodeFailed ? "node failed: " + errorType : null));
        }
        total = round3(total);
        metric(MetricType.EXECUTION_COUNT, 1, finished, context);
        metric(MetricType.EXECUTION_TIME, total, finished, context);
        metric(MetricType.SUCCESS_RATE, failed ? 0 : 1, finished, context);
        Map<String, Object> errorContext = new LinkedHashMap<>(context);
        if (failed) {
            errorContext.put(Dimensions.ERROR_TYPE, errorType);
        }
        metric(MetricType.ERROR_RATE, failed ? 1 : 0, finished, errorContext);
        double cpu = round3(20 + random.nextDouble() * 60);
        double memory = round3(256 + random.nextDouble() * 256
                + memoryGrowthPerHour * Duration.between(start, finished).toSeconds() / 3600.0);
        long bytesIn = 1000 + random.nextInt(50_000);
        long bytesOut = 500 + random.nextInt(10_000);
        double latency = round3(5 + random.nextDouble() * 30);
        resource("cpu", cpu, finished, context);
        resource("memory", memory, finished, context);
        resource("network_in", bytesIn, finished, context);
        resource("network_out", bytesOut, finished, context);
        resource("network_latency", latency, finished, context);
        double compute = round6(total / 1000 * 0.0004);
        double api = failed && failedNode == 0 ? 0 : 0.002;
        cost("compute", compute, finished, context);
        if (api > 0) {
            cost("api_calls", api, finished, context);
        }
        executions.add(new ExecutionEvent(UUID.randomUUID().toString(), 1, finished,
                failed ? ExecutionEventType.EXECUTION_FAILED : ExecutionEventType.EXECUTION_COMPLETED, executionId,
                workflowId, version, environment, "user-" + user, UserType.REGULAR_USER, REGIONS[place],
                COUNTRIES[place], DEVICES[user % DEVICES.length], finished.minusMillis((long) total), finished, total,
                nodes, failed ? io.workflowanalytics.common.events.ErrorType.valueOf(errorType.toUpperCase()) : null,
                failed ? "failed at " + NODES[failedNode][0] : null, null, List.of()));
    }

    private void resource(String resource, double value, Instant at, Map<String, Object> context) {
        Map<String, Object> dims = new LinkedHashMap<>(context);
        dims.put("resource", resource);
        metric(MetricType.RESOURCE_USAGE, value, at, dims);
    }

    private void cost(String component, double value, Instant at, Map<String, Object> context) {
        Map<String, Object> dims = new LinkedHashMap<>(context);
        dims.put(Dimensions.COST_COMPONENT, component);
        metric(MetricType.COST, value, at, dims);
    }

    private void metric(MetricType type, double value, Instant at, Map<String, Object> dims) {
        metrics.add(new AnalyticsMetric(UUID.randomUUID().toString(), 1, at, UUID.randomUUID().toString(),
                workflowId, type, value, at, dims, List.of(), MetricSource.RUNTIME_ENGINE, AggregationLevel.RAW));
    }

    private static double round3(double v) {
        return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).doubleValue();
    }

    private static double round6(double v) {
        return BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    /** Produces the executions and then the metrics, keyed by workflow as metrics-ingest does. */
    public void send() {
        send(metrics, executions);
    }

    public void send(List<AnalyticsMetric> someMetrics, List<ExecutionEvent> someExecutions) {
        ConsumerReady.await();
        List<Map.Entry<String, byte[]>> e = new ArrayList<>();
        someExecutions.forEach(x -> e.add(Map.entry(workflowId, EventJson.toBytes(x))));
        TestKafka.send(Topics.ANALYTICS_EXECUTIONS, e);
        List<Map.Entry<String, byte[]>> m = new ArrayList<>();
        someMetrics.forEach(x -> m.add(Map.entry(workflowId, EventJson.toBytes(x))));
        TestKafka.send(Topics.ANALYTICS_METRICS, m);
    }

    /** Workflow-level metrics (no nodeId) of a type within [from, to), matching a dimension filter. */
    public List<AnalyticsMetric> select(MetricType type, Instant from, Instant to,
                                        Predicate<Map<String, Object>> dims) {
        List<AnalyticsMetric> out = new ArrayList<>();
        for (AnalyticsMetric m : metrics) {
            if (m.metricType() == type && !m.timestamp().isBefore(from) && m.timestamp().isBefore(to)
                    && dims.test(m.dimensions())) {
                out.add(m);
            }
        }
        return out;
    }

    public static Predicate<Map<String, Object>> workflowLevel() {
        return d -> !d.containsKey(Dimensions.NODE_ID);
    }

    public static Predicate<Map<String, Object>> node(String nodeId) {
        return d -> nodeId.equals(d.get(Dimensions.NODE_ID));
    }
}
