package io.workflowanalytics.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response of the suite ({@code application/problem+json}).
 * {@code errors} lists field-level faults: which parameter, field or batch item, and what is wrong with it.
 */
@Schema(name = "Problem", description = "RFC 9457 problem detail")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(example = "https://workflow-analytics.io/problems/validation") String type,
        @Schema(example = "Invalid request") String title,
        @Schema(example = "400") int status,
        @Schema(example = "timeRange must be one of 1h, 24h, 7d, 30d, 90d or N(m|h|d|w)") String detail,
        @Schema(example = "/api/workflows/7d0b…/analytics/performance") String instance,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://workflow-analytics.io/problems/";

    /**
     * One field-level fault; for an item of a batch, {@code index} is its position and {@code reason} the
     * machine-readable class of the fault (the same codes as the dead-letter topic's {@code dlq-reason}).
     */
    @Schema(name = "FieldError")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(
            @Schema(example = "timeRange") String field,
            @Schema(example = "must be one of 1h, 24h, 7d, 30d, 90d") String message,
            Integer index,
            @Schema(example = "missing_field") String reason) {

        public static FieldError of(String field, String message) {
            return new FieldError(field, message, null, null);
        }

        public static FieldError item(int index, String field, String message, String reason) {
            return new FieldError(field, message, index, reason);
        }
    }
}
