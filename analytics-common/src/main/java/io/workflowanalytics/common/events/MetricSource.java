package io.workflowanalytics.common.events;

/** Which platform component produced a metric (spec: MetricSource). */
public enum MetricSource implements WireEnum {
    RUNTIME_ENGINE, COST_TRACKER, ERROR_MONITOR, USAGE_TRACKER
}
