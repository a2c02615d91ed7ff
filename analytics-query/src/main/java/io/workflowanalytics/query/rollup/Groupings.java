package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which breakdowns each metric is rolled up under: exactly the groupings the views read, so that the rollups stay
 * small (a breakdown by user of resource usage, say, would cost rows and serve no view). A workflow-level metric
 * counts towards the whole workflow ({@link #WHOLE}) and towards each listed dimension it carries; a node-level metric
 * (one with a {@code nodeId}) towards its node and, with an error type, towards the node and error type pair.
 */
public final class Groupings {

    /** The grouping key of the whole workflow. */
    public static final String WHOLE = "";
    /** Dimension of resource_usage metrics naming the resource (cpu, memory, network_in, …). */
    public static final String RESOURCE = "resource";
    public static final String NODE_AND_ERROR = Dimensions.NODE_ID + "|" + Dimensions.ERROR_TYPE;

    private static final List<String> AUDIENCE = List.of(Dimensions.USER_ID, Dimensions.USER_TYPE, Dimensions.COUNTRY,
            Dimensions.REGION, Dimensions.DEVICE_TYPE, Dimensions.VERSION, Dimensions.ENVIRONMENT);
    private static final List<String> CONTEXT = List.of(Dimensions.USER_TYPE, Dimensions.COUNTRY, Dimensions.REGION,
            Dimensions.DEVICE_TYPE, Dimensions.VERSION, Dimensions.ENVIRONMENT);

    private static final Map<MetricType, List<String>> WORKFLOW_LEVEL = new EnumMap<>(MetricType.class);

    static {
        WORKFLOW_LEVEL.put(MetricType.EXECUTION_COUNT, AUDIENCE);
        WORKFLOW_LEVEL.put(MetricType.EXECUTION_TIME, AUDIENCE);
        WORKFLOW_LEVEL.put(MetricType.SUCCESS_RATE, CONTEXT);
        List<String> errors = new ArrayList<>(CONTEXT);
        errors.add(Dimensions.ERROR_TYPE);
        WORKFLOW_LEVEL.put(MetricType.ERROR_RATE, List.copyOf(errors));
        WORKFLOW_LEVEL.put(MetricType.RESOURCE_USAGE, List.of(RESOURCE));
        WORKFLOW_LEVEL.put(MetricType.COST, List.of(Dimensions.COST_COMPONENT, Dimensions.VERSION,
                Dimensions.ENVIRONMENT));
        WORKFLOW_LEVEL.put(MetricType.THROUGHPUT, List.of());
    }

    private Groupings() {
    }

    /** The dimensions a metric type is broken down by at workflow level (besides the whole workflow). */
    public static List<String> workflowLevel(MetricType type) {
        return WORKFLOW_LEVEL.getOrDefault(type, List.of());
    }

    /** (dim_key, dim_value) pairs the metric counts towards. */
    public static List<String[]> of(AnalyticsMetric metric) {
        Map<String, Object> dims = metric.dimensions() == null ? Map.of() : metric.dimensions();
        List<String[]> out = new ArrayList<>(8);
        String node = text(dims.get(Dimensions.NODE_ID));
        if (node != null) {
            out.add(new String[] {Dimensions.NODE_ID, node});
            String error = text(dims.get(Dimensions.ERROR_TYPE));
            if (error != null) {
                out.add(new String[] {NODE_AND_ERROR, node + "|" + error});
            }
            return out;
        }
        out.add(new String[] {WHOLE, ""});
        for (String key : workflowLevel(metric.metricType())) {
            String value = text(dims.get(key));
            if (value != null) {
                out.add(new String[] {key, value});
            }
        }
        return out;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > 300 ? s.substring(0, 300) : s;
    }
}
