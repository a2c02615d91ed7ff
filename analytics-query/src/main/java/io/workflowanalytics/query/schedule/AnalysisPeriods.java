package io.workflowanalytics.query.schedule;

import io.workflowanalytics.common.time.TimeRange;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** The latest completed UTC period of a schedule frequency. */
public final class AnalysisPeriods {

    private AnalysisPeriods() {
    }

    public static TimeRange lastCompleted(String frequency, Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        return switch (frequency) {
            case "hourly" -> {
                ZonedDateTime end = t.truncatedTo(ChronoUnit.HOURS);
                yield range(end.minusHours(1), end);
            }
            case "daily" -> {
                ZonedDateTime end = t.truncatedTo(ChronoUnit.DAYS);
                yield range(end.minusDays(1), end);
            }
            case "weekly" -> {
                ZonedDateTime end = t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(
                        DayOfWeek.MONDAY));
                yield range(end.minusWeeks(1), end);
            }
            case "monthly" -> {
                ZonedDateTime end = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                yield range(end.minusMonths(1), end);
            }
            default -> throw new IllegalArgumentException("wa.analysis.frequency must be hourly, daily, weekly or "
                    + "monthly, not " + frequency);
        };
    }

    private static TimeRange range(ZonedDateTime start, ZonedDateTime end) {
        return new TimeRange(start.toInstant(), end.toInstant());
    }
}
