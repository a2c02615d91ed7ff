package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.time.TimeRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Covers a time range with the fewest rollup buckets: whole stored months ({@link StoredMonths}) in the middle, whole
 * days next to them (and for months not stored), whole hours next to those and minutes at the edges, never a level
 * coarser than {@code coarsest} allows (a series by hour must not read day rows).
 * Ranges are answered at minute resolution: the start is rounded down and the end up to whole minutes; an edge older
 * than a level's retention horizon ({@link RollupRetention}) is rounded outwards to the next coarser unit instead
 * (before the day horizon to whole months, whose day rows are purged once their month rows are stored).
 */
public record RangePlan(Instant start, Instant end, List<Part> parts) {

    /** Rows of {@code level} with start ≤ bucket < end. */
    public record Part(RollupLevel level, Instant from, Instant to) {
    }

    public static RangePlan of(TimeRange range) {
        return of(range, RollupLevel.MONTH);
    }

    public static RangePlan of(TimeRange range, RollupLevel coarsest) {
        Instant start = RollupRetention.resolution(range.start()).bucket(range.start());
        Instant end = RollupRetention.resolution(range.end()).ceil(range.end());
        List<Part> parts = new ArrayList<>();
        cover(start, end, coarsest, parts);
        return new RangePlan(start, end, List.copyOf(parts));
    }

    /**
     * Where to split this range in two halves that the rollups answer without overlap: its middle, rounded down to
     * the resolution the rollups have there (a minute within the minute horizon, else an hour, a day or a month). A
     * middle rounded to the minute where only hours are kept would put the hour around it in both halves.
     */
    public Instant middle() {
        Instant mid = start.plus(java.time.Duration.between(start, end).dividedBy(2));
        return RollupRetention.resolution(mid).bucket(mid);
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
        RollupLevel finer = RollupLevel.values()[level.ordinal() - 1];
        Instant innerFrom = level.ceil(from);
        Instant innerTo = level.bucket(to);
        if (!innerFrom.isBefore(innerTo)) {
            cover(from, to, finer, parts);
            return;
        }
        if (level == RollupLevel.MONTH) {
            coverMonths(from, to, innerFrom, innerTo, parts);
            return;
        }
        cover(from, innerFrom, finer, parts);
        parts.add(new Part(level, innerFrom, innerTo));
        cover(innerTo, to, finer, parts);
    }

    /** Runs of stored whole months as month parts, everything between them at day level and finer. */
    private static void coverMonths(Instant from, Instant to, Instant innerFrom, Instant innerTo, List<Part> parts) {
        Instant covered = from;
        Instant runStart = null;
        for (Instant m = innerFrom; m.isBefore(innerTo); m = RollupLevel.MONTH.next(m)) {
            boolean stored = StoredMonths.stored(m);
            if (stored && runStart == null) {
                runStart = m;
            } else if (!stored && runStart != null) {
                cover(covered, runStart, RollupLevel.DAY, parts);
                parts.add(new Part(RollupLevel.MONTH, runStart, m));
                covered = m;
                runStart = null;
            }
        }
        if (runStart != null) {
            cover(covered, runStart, RollupLevel.DAY, parts);
            parts.add(new Part(RollupLevel.MONTH, runStart, innerTo));
            covered = innerTo;
        }
        cover(covered, to, RollupLevel.DAY, parts);
    }
}
