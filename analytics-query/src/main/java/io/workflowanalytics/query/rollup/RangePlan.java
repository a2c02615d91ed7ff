package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.time.TimeRange;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Covers a time range with the fewest rollup buckets: whole days in the middle, whole hours next to them and
 * minutes at the edges, never a level coarser than {@code finest} allows (a series by hour must not read day rows).
 * Ranges are answered at minute resolution: the start is rounded down and the end up to whole minutes; an edge older
 * than a level's retention horizon ({@link RollupRetention}) is rounded outwards to the next coarser unit instead.
 */
public record RangePlan(Instant start, Instant end, List<Part> parts) {

    /** Rows of {@code level} with start ≤ bucket < end. */
    public record Part(RollupLevel level, Instant from, Instant to) {
    }

    public static RangePlan of(TimeRange range) {
        return of(range, RollupLevel.DAY);
    }

    public static RangePlan of(TimeRange range, RollupLevel coarsest) {
        Instant start = range.start().truncatedTo(resolution(range.start()));
        Instant end = ceil(range.end(), resolution(range.end()));
        List<Part> parts = new ArrayList<>();
        cover(start, end, coarsest, parts);
        return new RangePlan(start, end, List.copyOf(parts));
    }

    /**
     * Where to split this range in two halves that the rollups answer without overlap: its middle, rounded down to
     * the resolution the rollups have there (a minute within the minute horizon, else an hour or a day). A middle
     * rounded to the minute where only hours are kept would put the hour around it in both halves.
     */
    public Instant middle() {
        Instant mid = start.plus(java.time.Duration.between(start, end).dividedBy(2));
        return mid.truncatedTo(resolution(mid));
    }

    /**
     * This range split at {@link #middle()}: two plans that together cover exactly the buckets this one does, or
     * none when the range is too short to split.
     */
    public List<RangePlan> halves() {
        Instant mid = middle();
        if (!mid.isAfter(start) || !mid.isBefore(end)) {
            return List.of();
        }
        return List.of(of(new TimeRange(start, mid)), of(new TimeRange(mid, end)));
    }

    public TimeRange range() {
        return new TimeRange(start, end);
    }

    private static void cover(Instant from, Instant to, RollupLevel level, List<Part> parts) {
        if (!from.isBefore(to)) {
            return;
        }
        if (level == RollupLevel.MINUTE) {
            parts.add(new Part(RollupLevel.MINUTE, from, to));
            return;
        }
        RollupLevel finer = level == RollupLevel.DAY ? RollupLevel.HOUR : RollupLevel.MINUTE;
        Instant innerFrom = ceil(from, level.unit);
        Instant innerTo = to.truncatedTo(level.unit);
        if (!innerFrom.isBefore(innerTo)) {
            cover(from, to, finer, parts);
            return;
        }
        cover(from, innerFrom, finer, parts);
        parts.add(new Part(level, innerFrom, innerTo));
        cover(innerTo, to, finer, parts);
    }

    /** The finest unit whose rollups still exist at t. */
    private static ChronoUnit resolution(Instant t) {
        if (!t.isBefore(RollupRetention.horizon(RollupLevel.MINUTE))) {
            return ChronoUnit.MINUTES;
        }
        return t.isBefore(RollupRetention.horizon(RollupLevel.HOUR)) ? ChronoUnit.DAYS : ChronoUnit.HOURS;
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant down = t.truncatedTo(unit);
        return down.equals(t) ? t : down.plus(1, unit);
    }
}
