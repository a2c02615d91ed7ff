package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.time.TimeRanges;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;

/** Body of POST …/alerts/{alertId}/suppress: an end instant or a duration from now (one of them). */
@Schema(name = "SuppressRequest")
public record SuppressRequest(
        @Schema(example = "2026-12-01T18:00:00Z", description = "ISO-8601 instant in the future") String until,
        @Schema(example = "1h", description = "N followed by m, h, d or w; at most 30 days") String duration) {

    static final Duration MAX = Duration.ofDays(30);

    Instant validatedUntil(Instant now) {
        boolean hasUntil = until != null && !until.isBlank();
        boolean hasDuration = duration != null && !duration.isBlank();
        if (hasUntil == hasDuration) {
            throw ProblemException.invalid("until", "give either until (an ISO-8601 instant) or duration (such as 1h)");
        }
        Instant end = hasUntil ? TimeRanges.instant("until", until) : now.plus(TimeRanges.relative("duration", duration));
        String field = hasUntil ? "until" : "duration";
        if (!end.isAfter(now)) {
            throw ProblemException.invalid(field, "must be in the future");
        }
        if (end.isAfter(now.plus(MAX))) {
            throw ProblemException.invalid(field, "may reach at most 30 days ahead");
        }
        return end;
    }
}
