package io.workflowanalytics.query.costs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One step of an optimisation job's plan; {@code estimatedDuration} is an ISO-8601 duration. */
public record ImplementationStep(
        @Schema(example = "1") int order,
        @Schema(example = "enable_response_cache") String action,
        @Schema(example = "Cache their responses for as long as the data allows") String description,
        @Schema(example = "P2D") String estimatedDuration,
        @Schema(example = "low") String risk) {
}
