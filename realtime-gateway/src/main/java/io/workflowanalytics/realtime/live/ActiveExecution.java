package io.workflowanalytics.realtime.live;

import java.time.Instant;

/** An execution that started and has not finished yet, as its execution_started event described it. */
public record ActiveExecution(
        String executionId,
        Instant startedAt,
        long runningForMs,
        String workflowVersion,
        String environment,
        String userId,
        String region,
        String deviceType) {
}
