package io.workflowanalytics.realtime.live;

import java.time.Instant;
import java.util.List;

/**
 * A workflow's live figures (spec: RealTimeMetrics, with RealTimePerformance's fields): the headline numbers are
 * the five-minute window's, {@code currentThroughput} the last minute's, and {@code windows} holds 1, 5 and 15
 * minutes. trendDirection compares the last five minutes with the ten before them (docs/views/realtime.md).
 */
public record RealTimeMetrics(
        Instant asOf,
        double currentThroughput,
        double averageExecutionTime,
        double successRate,
        double errorRate,
        String trendDirection,
        int activeExecutions,
        int queuedExecutions,
        List<WindowFigures> windows,
        RealTimeResources resources) {
}
