package io.workflowanalytics.common.events;

/** What an AnalyticsMetric measures (spec: MetricType). */
public enum MetricType implements WireEnum {
    EXECUTION_COUNT, EXECUTION_TIME, SUCCESS_RATE, ERROR_RATE, RESOURCE_USAGE, COST, THROUGHPUT
}
