package io.workflowanalytics.common.time;

import java.time.Duration;
import java.time.Instant;

/** A half-open interval [start, end) of event time that an analysis covers. */
public record TimeRange(Instant start, Instant end) {

    public TimeRange {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start must be before end");
        }
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    /** The equal-length range just before this one, for "deviation from the previous period". */
    public TimeRange previous() {
        return new TimeRange(start.minus(duration()), start);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
