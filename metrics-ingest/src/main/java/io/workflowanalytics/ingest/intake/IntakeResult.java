package io.workflowanalytics.ingest.intake;

import io.workflowanalytics.common.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Answer to an HTTP batch: how many items were durably accepted (acknowledged by Kafka on the input topic) and, per
 * rejected item, its index, the field at fault and why.
 */
@Schema(name = "IntakeResult")
public record IntakeResult(
        @Schema(example = "998") int accepted,
        List<Problem.FieldError> rejected) {
}
