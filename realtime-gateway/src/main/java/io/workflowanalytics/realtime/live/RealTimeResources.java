package io.workflowanalytics.realtime.live;

/** Mean resource use of the executions that finished in the last five minutes (spec: RealTimeResources). */
public record RealTimeResources(Double cpuPercent, Double memoryMb, Double networkLatencyMs, long samples) {
}
