package io.workflowanalytics.query.costs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Body of POST …/costs/optimize (spec: Apply Cost Optimization). */
public record OptimizeRequest(
        @Schema(description = "ids of current recommendations", example = "[\"caching\", \"scheduling\"]")
        List<String> optimizationIds,
        @Schema(description = "start now (status in_progress) instead of scheduling", example = "false")
        Boolean applyImmediately,
        @Schema(description = "ISO-8601 instant in the future", example = "2026-11-07T02:00:00Z")
        String scheduleTime) {
}
