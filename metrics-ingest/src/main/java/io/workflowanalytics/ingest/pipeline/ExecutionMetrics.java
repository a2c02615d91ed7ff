package io.workflowanalytics.ingest.pipeline;

import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.NodeStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The metrics an execution event implies, so that readers see one uniform metric stream. A completed or failed
 * event yields, at workflow level: execution_count 1, execution_time (durationMs), success_rate and error_rate (1 or
 * 0; errorType on failures), resource_usage per resource (dimension {@value #RESOURCE}: cpu, memory, network_in,
 * network_out, network_latency) and cost per component; and per reported node with a duration: execution_time and
 * error_rate with nodeId and nodeType. A started event implies none: an execution is counted once it ends.
 * Ids are name-based on the event's eventId, so a redelivered event implies the very same metrics; a node or cost
 * component that appears more than once in an event implies metrics for each appearance.
 */
public final class ExecutionMetrics {

    /** Dimension naming the resource of a resource_usage metric. */
    public static final String RESOURCE = "resource";

    private ExecutionMetrics() {
    }

    public static List<AnalyticsMetric> expand(ExecutionEvent e) {
        if (e.type() == ExecutionEventType.EXECUTION_STARTED) {
            return List.of();
        }
        boolean failed = e.type() == ExecutionEventType.EXECUTION_FAILED;
        Map<String, Object> context = context(e);
        Map<String, Object> outcome = new LinkedHashMap<>(context);
        if (failed && e.errorType() != null) {
            outcome.put(Dimensions.ERROR_TYPE, e.errorType().wire());
        }
        Expansion out = new Expansion(e);
        out.add("count", MetricType.EXECUTION_COUNT, 1, context, MetricSource.RUNTIME_ENGINE);
        out.add("time", MetricType.EXECUTION_TIME, e.durationMs(), context, MetricSource.RUNTIME_ENGINE);
        out.add("success", MetricType.SUCCESS_RATE, failed ? 0 : 1, context, MetricSource.RUNTIME_ENGINE);
        out.add("error", MetricType.ERROR_RATE, failed ? 1 : 0, outcome, MetricSource.ERROR_MONITOR);

        ExecutionEvent.ResourceUsage usage = e.resourceUsage();
        if (usage != null) {
            out.resource("cpu", usage.cpuPercent(), context);
            out.resource("memory", usage.memoryMb(), context);
            out.resource("network_in", usage.networkBytesIn() == null ? null : usage.networkBytesIn().doubleValue(), context);
            out.resource("network_out", usage.networkBytesOut() == null ? null : usage.networkBytesOut().doubleValue(), context);
            out.resource("network_latency", usage.networkLatencyMs(), context);
        }
        if (e.costs() != null) {
            Map<String, Integer> seen = new HashMap<>();
            for (ExecutionEvent.CostItem cost : e.costs()) {
                Map<String, Object> dims = new LinkedHashMap<>(context);
                dims.put(Dimensions.COST_COMPONENT, cost.component().wire());
                out.add(occurrence("cost/" + cost.component().wire(), seen), MetricType.COST, cost.amount(), dims,
                        MetricSource.COST_TRACKER);
            }
        }
        if (e.nodes() != null) {
            Map<String, Integer> seen = new HashMap<>();
            for (ExecutionEvent.NodeExecution node : e.nodes()) {
                if (node.durationMs() == null || node.status() == NodeStatus.SKIPPED) {
                    continue;
                }
                Map<String, Object> dims = new LinkedHashMap<>(context);
                dims.put(Dimensions.NODE_ID, node.nodeId());
                if (node.nodeType() != null) {
                    dims.put(Dimensions.NODE_TYPE, node.nodeType());
                }
                String key = occurrence("node/" + node.nodeId(), seen);
                out.add(key + "/time", MetricType.EXECUTION_TIME, node.durationMs(), dims,
                        MetricSource.RUNTIME_ENGINE);
                boolean nodeFailed = node.status() == NodeStatus.FAILED;
                Map<String, Object> errorDims = dims;
                if (nodeFailed && node.errorType() != null) {
                    errorDims = new LinkedHashMap<>(dims);
                    errorDims.put(Dimensions.ERROR_TYPE, node.errorType().wire());
                }
                out.add(key + "/error", MetricType.ERROR_RATE, nodeFailed ? 1 : 0, errorDims,
                        MetricSource.ERROR_MONITOR);
            }
        }
        return out.metrics;
    }

    /**
     * The id key of an item that may repeat within one event (a node run again after a failure, two lines of one
     * cost component): the first keeps the plain key, later ones are numbered, so that each implies its own metric
     * instead of colliding on one id (and being stored once).
     */
    private static String occurrence(String key, Map<String, Integer> seen) {
        int n = seen.merge(key, 1, Integer::sum);
        return n == 1 ? key : key + "#" + n;
    }

    private static Map<String, Object> context(ExecutionEvent e) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put(Dimensions.EXECUTION_ID, e.executionId());
        putIfPresent(dims, Dimensions.USER_ID, e.userId());
        putIfPresent(dims, Dimensions.USER_TYPE, e.userType() == null ? null : e.userType().wire());
        putIfPresent(dims, Dimensions.COUNTRY, e.country());
        putIfPresent(dims, Dimensions.REGION, e.region());
        putIfPresent(dims, Dimensions.DEVICE_TYPE, e.deviceType());
        putIfPresent(dims, Dimensions.VERSION, e.workflowVersion());
        putIfPresent(dims, Dimensions.ENVIRONMENT, e.environment());
        return dims;
    }

    private static void putIfPresent(Map<String, Object> dims, String key, String value) {
        if (value != null) {
            dims.put(key, value);
        }
    }

    /** One MD5 per thread: {@code MessageDigest.getInstance} per id cost more than the hashing (JFR). */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    });

    /** The same id as {@code UUID.nameUUIDFromBytes(name as UTF-8)}: a version 3, name-based UUID. */
    static String nameBasedId(String name) {
        byte[] md5 = MD5.get().digest(name.getBytes(StandardCharsets.UTF_8));
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30);
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
            lsb = (lsb << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    /** Accumulates the metrics of one event with ids derived from its eventId. */
    private static final class Expansion {
        private final ExecutionEvent event;
        private final List<AnalyticsMetric> metrics = new ArrayList<>();

        Expansion(ExecutionEvent event) {
            this.event = event;
        }

        void resource(String resource, Double value, Map<String, Object> context) {
            if (value == null) {
                return;
            }
            Map<String, Object> dims = new LinkedHashMap<>(context);
            dims.put(RESOURCE, resource);
            add("resource/" + resource, MetricType.RESOURCE_USAGE, value, dims, MetricSource.RUNTIME_ENGINE);
        }

        void add(String key, MetricType type, double value, Map<String, Object> dims, MetricSource source) {
            String id = nameBasedId(event.eventId() + "/" + key);
            metrics.add(new AnalyticsMetric(id, EventJson.SCHEMA_VERSION, event.occurredAt(), id, event.workflowId(),
                    type, value, event.finishedAt(), Map.copyOf(dims), List.of(), source, AggregationLevel.RAW));
        }
    }
}
