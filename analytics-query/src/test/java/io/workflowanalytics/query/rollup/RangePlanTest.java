package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.time.TimeRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Range covering: contiguous parts, fewest rows, never a level finer than its retention keeps. */
class RangePlanTest {

    @BeforeEach
    void productionRetention() {
        new RollupRetention(7, 90, 730, 60, 127);
    }

    @AfterEach
    void noRetention() {
        new RollupRetention(36500, 36500, 36500, 1400, 127);
    }

    @Test
    void halvesSplitWhereTheRollupsHaveThatResolutionSoNoBucketIsInBoth() {
        Instant now = Instant.now();
        for (Duration span : List.of(Duration.ofHours(6), Duration.ofDays(10), Duration.ofDays(30),
                Duration.ofDays(90), Duration.ofDays(200))) {
            RangePlan plan = RangePlan.of(new TimeRange(now.minus(span), now));
            Instant mid = plan.middle();
            List<RangePlan> halves = plan.halves();
            assertEquals(2, halves.size(), span.toString());
            RangePlan first = halves.get(0);
            RangePlan second = halves.get(1);
            assertContiguous(first);
            assertContiguous(second);
            assertEquals(mid, first.end(), span + ": the first half ends at the middle, not after it");
            assertEquals(mid, second.start(), span + ": the second half starts at the middle, not before it");
            assertEquals(plan.start(), first.start());
            assertEquals(plan.end(), second.end());
            assertTrue(Duration.between(plan.start(), mid).minus(span.dividedBy(2)).abs()
                    .compareTo(Duration.ofDays(1)) <= 0, span + ": about the middle");
        }
        // A minute has no two halves at minute resolution.
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        assertEquals(List.of(), RangePlan.of(new TimeRange(minute.minusSeconds(60), minute)).halves());
    }

    @Test
    void aRecentRangeIsMinuteExactWithDaysInTheMiddle() {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(5, ChronoUnit.DAYS);
        Instant start = day.plus(Duration.ofMinutes(17 * 60 + 23)).plusSeconds(31);
        Instant end = day.plus(Duration.ofMinutes(3 * 1440 + 2 * 60 + 41)).plusSeconds(5);
        RangePlan plan = RangePlan.of(new TimeRange(start, end));
        assertEquals(start.truncatedTo(ChronoUnit.MINUTES), plan.start());
        assertEquals(end.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES), plan.end());
        assertContiguous(plan);
        List<RollupLevel> levels = plan.parts().stream().map(RangePlan.Part::level).toList();
        assertEquals(List.of(RollupLevel.MINUTE, RollupLevel.HOUR, RollupLevel.DAY, RollupLevel.HOUR,
                RollupLevel.MINUTE), levels);
    }

    @Test
    void edgesOlderThanTheMinuteHorizonAreRoundedToHoursAndOlderThanTheHourHorizonToDays() {
        Instant now = Instant.now();
        Instant thirtyDays = now.minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(17));
        RangePlan plan = RangePlan.of(new TimeRange(thirtyDays, now));
        assertEquals(thirtyDays.truncatedTo(ChronoUnit.HOURS), plan.start());
        assertContiguous(plan);
        for (RangePlan.Part part : plan.parts()) {
            if (part.level() == RollupLevel.MINUTE) {
                assertTrue(!part.from().isBefore(RollupRetention.horizon(RollupLevel.MINUTE)), part.toString());
            }
        }
        // 03:17 to 08:17 of a day 100 days ago: within one day whatever the time of day the test runs at
        Instant hundredDays = now.minus(100, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS)
                .plus(Duration.ofHours(3)).plus(Duration.ofMinutes(17));
        RangePlan old = RangePlan.of(new TimeRange(hundredDays, hundredDays.plus(Duration.ofHours(5))));
        assertEquals(hundredDays.truncatedTo(ChronoUnit.DAYS), old.start());
        assertEquals(hundredDays.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS), old.end());
        assertEquals(List.of(new RangePlan.Part(RollupLevel.DAY, old.start(), old.end())), old.parts());
    }

    @Test
    void storedMonthsAreReadAsMonthRowsAndTheMonthsBetweenThemAsDays() {
        new RollupRetention(36500, 36500, 36500, 1400, 127);
        // February and April 1999 stored, March not (months no other test uses: the set only grows).
        StoredMonths.add(LocalDate.of(1999, 2, 1));
        StoredMonths.add(LocalDate.of(1999, 4, 1));
        Instant start = Instant.parse("1999-01-15T10:17:00Z");
        Instant end = Instant.parse("1999-05-03T04:05:00Z");
        RangePlan plan = RangePlan.of(new TimeRange(start, end));
        assertContiguous(plan);
        assertEquals(List.of(
                part(RollupLevel.MINUTE, "1999-01-15T10:17:00Z", "1999-01-15T11:00:00Z"),
                part(RollupLevel.HOUR, "1999-01-15T11:00:00Z", "1999-01-16T00:00:00Z"),
                part(RollupLevel.DAY, "1999-01-16T00:00:00Z", "1999-02-01T00:00:00Z"),
                part(RollupLevel.MONTH, "1999-02-01T00:00:00Z", "1999-03-01T00:00:00Z"),
                part(RollupLevel.DAY, "1999-03-01T00:00:00Z", "1999-04-01T00:00:00Z"),
                part(RollupLevel.MONTH, "1999-04-01T00:00:00Z", "1999-05-01T00:00:00Z"),
                part(RollupLevel.DAY, "1999-05-01T00:00:00Z", "1999-05-03T00:00:00Z"),
                part(RollupLevel.HOUR, "1999-05-03T00:00:00Z", "1999-05-03T04:00:00Z"),
                part(RollupLevel.MINUTE, "1999-05-03T04:00:00Z", "1999-05-03T04:05:00Z")), plan.parts());

        // Series no coarser than days never read month rows; by month they do.
        assertTrue(RangePlan.of(new TimeRange(start, end), RollupLevel.DAY).parts().stream()
                .noneMatch(p -> p.level() == RollupLevel.MONTH));
        assertEquals(RollupLevel.MONTH, Granularity.MONTH.source);
        // A stored month only partly in the range is read by its days.
        RangePlan partly = RangePlan.of(new TimeRange(Instant.parse("1999-02-02T00:00:00Z"),
                Instant.parse("1999-03-05T00:00:00Z")));
        assertEquals(List.of(part(RollupLevel.DAY, "1999-02-02T00:00:00Z", "1999-03-05T00:00:00Z")), partly.parts());
        // Two stored months side by side are one part.
        StoredMonths.add(LocalDate.of(1999, 3, 1));
        assertEquals(List.of(part(RollupLevel.MONTH, "1999-02-01T00:00:00Z", "1999-05-01T00:00:00Z")),
                RangePlan.of(new TimeRange(Instant.parse("1999-02-01T00:00:00Z"),
                        Instant.parse("1999-05-01T00:00:00Z"))).parts());
    }

    @Test
    void pastTheDayHorizonRangesReadWholeMonthsFromMonthRowsOrFromTheDaysOfMonthsNotStored() {
        // Production retention: day rows two years, rounded down to the month.
        Instant now = Instant.now();
        Instant dayHorizon = RollupRetention.horizon(RollupLevel.DAY);
        assertEquals(RollupLevel.MONTH.bucket(now.minus(Duration.ofDays(730))), dayHorizon);
        LocalDate first = RollupLevel.month(dayHorizon).minusMonths(3);
        StoredMonths.add(first.plusMonths(1));
        Instant start = first.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plus(Duration.ofDays(12).plusHours(5));
        RangePlan plan = RangePlan.of(new TimeRange(start, now));
        assertContiguous(plan);
        Instant m0 = RollupLevel.MONTH.bucket(start);
        Instant m1 = RollupLevel.MONTH.next(m0);
        Instant m2 = RollupLevel.MONTH.next(m1);
        assertEquals(m0, plan.start(), "the start rounded down to its month");
        assertEquals(List.of(new RangePlan.Part(RollupLevel.DAY, m0, m1),
                        new RangePlan.Part(RollupLevel.MONTH, m1, m2)),
                plan.parts().subList(0, 2));
        assertEquals(RollupLevel.DAY, plan.parts().get(2).level());
        // A range wholly past the horizon, inside a month, is that month.
        RangePlan inside = RangePlan.of(new TimeRange(m1.plus(Duration.ofDays(3)), m1.plus(Duration.ofDays(4))));
        assertEquals(List.of(new RangePlan.Part(RollupLevel.MONTH, m1, m2)), inside.parts());
    }

    @Test
    void retentionThatWouldLoseDataIsRefused() {
        // Day rows must outlive the metrics that can still arrive (127 days) by a month; months must outlive days.
        assertThrows(IllegalArgumentException.class, () -> new RollupRetention(7, 90, 150, 60, 127));
        assertThrows(IllegalArgumentException.class, () -> new RollupRetention(7, 90, 730, 24, 127));
        assertThrows(IllegalArgumentException.class, () -> new RollupRetention(7, 400, 365, 60, 127));
        new RollupRetention(7, 90, 730, 27, 127);
    }

    @Test
    void monthBucketsFollowTheCalendar() {
        Instant leapDayEnd = Instant.parse("2024-02-29T23:59:59Z");
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), RollupLevel.MONTH.bucket(leapDayEnd));
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), RollupLevel.MONTH.ceil(leapDayEnd));
        Instant march = Instant.parse("2024-03-01T00:00:00Z");
        assertEquals(march, RollupLevel.MONTH.ceil(march));
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"),
                RollupLevel.MONTH.next(Instant.parse("2024-12-01T00:00:00Z")));
        assertEquals(LocalDate.of(2024, 12, 1), RollupLevel.month(Instant.parse("2024-12-31T12:00:00Z")));
    }

    private static RangePlan.Part part(RollupLevel level, String from, String to) {
        return new RangePlan.Part(level, Instant.parse(from), Instant.parse(to));
    }

    @Test
    void metricsAreRolledUpOnlyAtTheLevelsTheirAgeKeeps() {
        Instant now = Instant.now();
        assertArrayEquals(new RollupLevel[] {RollupLevel.MINUTE, RollupLevel.HOUR, RollupLevel.DAY},
                RollupBatch.levelsFor(now.minus(1, ChronoUnit.DAYS)));
        assertArrayEquals(new RollupLevel[] {RollupLevel.HOUR, RollupLevel.DAY},
                RollupBatch.levelsFor(now.minus(8, ChronoUnit.DAYS)));
        assertArrayEquals(new RollupLevel[] {RollupLevel.DAY}, RollupBatch.levelsFor(now.minus(91, ChronoUnit.DAYS)));
    }

    private static void assertContiguous(RangePlan plan) {
        Instant cursor = plan.start();
        for (RangePlan.Part part : plan.parts()) {
            assertEquals(cursor, part.from(), plan.toString());
            assertTrue(part.from().isBefore(part.to()), plan.toString());
            cursor = part.to();
        }
        assertEquals(plan.end(), cursor, plan.toString());
    }
}
