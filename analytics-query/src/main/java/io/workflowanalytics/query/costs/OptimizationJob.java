package io.workflowanalytics.query.costs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An optimisation job (table optimization_jobs): what POST …/costs/optimize answers and GET …/optimize/{jobId}
 * reads back. {@code estimatedSavings} is per 30 days; {@code scheduledFor} is omitted when no time was given.
 */
public record OptimizationJob(
        @Schema(example = "6d3c8a9e-2f4b-4c1d-9e7a-1b2c3d4e5f60") String optimizationJobId,
        String workflowId,
        @Schema(example = "scheduled", enumeration = {"scheduled", "in_progress"}) String status,
        List<String> optimizationIds,
        @Schema(example = "12.5") double estimatedSavings,
        List<ImplementationStep> implementationPlan,
        @Schema(example = "2026-11-07T02:00:00Z") String scheduledFor,
        String createdBy,
        String createdAt) {
}
