package io.workflowanalytics.common.events;

/** Granularity a metric value describes (spec: AggregationLevel). */
public enum AggregationLevel implements WireEnum {
    RAW, MINUTE, HOUR, DAY, WEEK, MONTH
}
