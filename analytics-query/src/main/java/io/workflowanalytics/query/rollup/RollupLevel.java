package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.WireEnum;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The stored rollup levels, with their bucket widths in UTC. Minute, hour and day rows are kept by every rollup
 * batch; month rows only for the closed months listed in {@code rollup_compacted_months} ({@link StoredMonths}).
 * Weeks are derived from days.
 */
public enum RollupLevel implements WireEnum {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS),
    MONTH(ChronoUnit.MONTHS);

    public final ChronoUnit unit;

    RollupLevel(ChronoUnit unit) {
        this.unit = unit;
    }

    /** The start of the bucket holding t. */
    public Instant bucket(Instant t) {
        return this == MONTH ? month(t).atStartOfDay(ZoneOffset.UTC).toInstant() : t.truncatedTo(unit);
    }

    /** The start of the first bucket at or after t. */
    public Instant ceil(Instant t) {
        Instant down = bucket(t);
        return down.equals(t) ? t : next(down);
    }

    /** The start of the bucket after the one starting at {@code bucket}. */
    public Instant next(Instant bucket) {
        return this == MONTH ? month(bucket).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                : bucket.plus(1, unit);
    }

    /** The first day of t's UTC month: how month buckets are named in {@code rollup_compacted_months}. */
    public static LocalDate month(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).withDayOfMonth(1);
    }
}
