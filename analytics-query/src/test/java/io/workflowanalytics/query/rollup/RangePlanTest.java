package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.time.TimeRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Range covering: contiguous parts, fewest rows, never a level finer than its retention keeps. */
class RangePlanTest {

    @BeforeEach
    void productionRetention() {
        new RollupRetention(7, 90);
    }

    @AfterEach
    void noRetention() {
        new RollupRetention(36500, 36500);
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
    void metricsAreRolledUpOnlyAtTheLevelsTheirAgeKeeps() {
        Instant now = Instant.now();
        assertArrayEquals(RollupLevel.values(), RollupBatch.levelsFor(now.minus(1, ChronoUnit.DAYS)));
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
