package io.workflowanalytics.query.costs;

import io.workflowanalytics.common.events.WireEnum;
import io.workflowanalytics.query.rollup.Granularity;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * A calendar period in UTC: the width of a cost trend bucket and the period a budget covers. Weeks are ISO weeks
 * (Monday to Monday), as PostgreSQL's {@code date_trunc('week', …)} groups them.
 */
public enum CostPeriod implements WireEnum {
    DAY(Granularity.DAY),
    WEEK(Granularity.WEEK),
    MONTH(Granularity.MONTH);

    public final Granularity granularity;

    CostPeriod(Granularity granularity) {
        this.granularity = granularity;
    }

    /** The start of the period holding {@code t}. */
    public Instant start(Instant t) {
        ZonedDateTime day = t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return switch (this) {
            case DAY -> day.toInstant();
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            case MONTH -> day.withDayOfMonth(1).toInstant();
        };
    }

    /** The start of the period after the one starting at {@code periodStart}. */
    public Instant next(Instant periodStart) {
        ZonedDateTime s = periodStart.atZone(ZoneOffset.UTC);
        return switch (this) {
            case DAY -> s.plusDays(1).toInstant();
            case WEEK -> s.plusWeeks(1).toInstant();
            case MONTH -> s.plusMonths(1).toInstant();
        };
    }
}
