package io.workflowanalytics.common.events;

import java.util.List;

/** Kafka topic names of the architecture brief. Every record is keyed by workflowId. */
public final class Topics {

    /** Runtime engines' AnalyticsMetric records (input). */
    public static final String WORKFLOW_METRICS = "workflow.metrics";
    /** Runtime engines' execution lifecycle events (input). */
    public static final String WORKFLOW_EXECUTIONS = "workflow.executions";
    /** Input records metrics-ingest rejected: original bytes, reason in headers. */
    public static final String WORKFLOW_DLQ = "workflow.dlq";
    /** Validated, normalised, deduplicated metrics (metrics-ingest). */
    public static final String ANALYTICS_METRICS = "analytics.metrics";
    /** Validated, normalised, deduplicated execution events (metrics-ingest). */
    public static final String ANALYTICS_EXECUTIONS = "analytics.executions";
    /** Alert transitions (analytics-query). */
    public static final String ANALYTICS_ALERTS = "analytics.alerts";
    /** Detected anomalies (predictions-service). */
    public static final String ANALYTICS_ANOMALIES = "analytics.anomalies";
    /** Component health changes (every service). */
    public static final String ANALYTICS_HEALTH = "analytics.health";

    public static final List<String> ALL = List.of(WORKFLOW_METRICS, WORKFLOW_EXECUTIONS, WORKFLOW_DLQ,
            ANALYTICS_METRICS, ANALYTICS_EXECUTIONS, ANALYTICS_ALERTS, ANALYTICS_ANOMALIES, ANALYTICS_HEALTH);

    /** Headers a dead-lettered record carries next to its original bytes (docs/events/dlq-headers.schema.json). */
    public static final String DLQ_REASON_HEADER = "dlq-reason";
    public static final String DLQ_DETAIL_HEADER = "dlq-detail";
    public static final String DLQ_SOURCE_TOPIC_HEADER = "dlq-source-topic";
    public static final String DLQ_SOURCE_PARTITION_HEADER = "dlq-source-partition";
    public static final String DLQ_SOURCE_OFFSET_HEADER = "dlq-source-offset";
    public static final String DLQ_FAILED_AT_HEADER = "dlq-failed-at";
    /** Set only when the original was cut to fit the topic: its size in bytes. */
    public static final String DLQ_ORIGINAL_SIZE_HEADER = "dlq-original-size";

    private Topics() {
    }
}
