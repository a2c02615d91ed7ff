package io.workflowanalytics.common.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One measured value (spec: AnalyticsMetric), on {@code workflow.metrics} and {@code analytics.metrics}.
 * A metric whose dimensions hold no {@code nodeId} describes the whole workflow; with one, it describes that node.
 * Well-known dimension keys are listed in {@link Dimensions}. Boxed numbers so that a missing value is told apart
 * from zero by validation.
 */
public record AnalyticsMetric(
        String eventId,
        Integer schemaVersion,
        Instant occurredAt,
        String id,
        String workflowId,
        MetricType metricType,
        Double value,
        Instant timestamp,
        Map<String, Object> dimensions,
        List<String> tags,
        MetricSource source,
        AggregationLevel aggregationLevel) {
}
