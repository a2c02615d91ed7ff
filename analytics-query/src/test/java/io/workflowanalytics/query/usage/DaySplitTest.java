package io.workflowanalytics.query.usage;

import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.usage.UsageRepository.DaySplit;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a range is read: its whole UTC days from the day arrays, the rest from the outcomes; nothing twice. */
class DaySplitTest {

    @Test
    void wholeDaysInTheMiddleAndPartialDaysAtTheEdges() {
        DaySplit split = DaySplit.of(range("2026-03-01T17:23:00Z", "2026-03-05T03:41:00Z"));
        assertEquals(LocalDate.parse("2026-03-02").toEpochDay(), split.firstDay());
        assertEquals(LocalDate.parse("2026-03-04").toEpochDay(), split.lastDay());
        assertEquals(Instant.parse("2026-03-01T17:23:00Z"), split.headFrom());
        assertEquals(Instant.parse("2026-03-02T00:00:00Z"), split.headTo());
        assertEquals(Instant.parse("2026-03-05T00:00:00Z"), split.tailFrom());
        assertEquals(Instant.parse("2026-03-05T03:41:00Z"), split.tailTo());
    }

    @Test
    void aRangeOnDayBoundariesIsAllWholeDays() {
        DaySplit split = DaySplit.of(range("2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z"));
        assertEquals(LocalDate.parse("2026-03-01").toEpochDay(), split.firstDay());
        assertEquals(LocalDate.parse("2026-03-02").toEpochDay(), split.lastDay());
        assertEquals(split.headFrom(), split.headTo());
        assertEquals(split.tailFrom(), split.tailTo());
    }

    @Test
    void aRangeWithoutAWholeDayIsAllEdge() {
        for (String[] r : new String[][] {{"2026-03-01T02:00:00Z", "2026-03-01T23:00:00Z"},
                {"2026-03-01T02:00:00Z", "2026-03-02T05:00:00Z"}}) {
            DaySplit split = DaySplit.of(range(r[0], r[1]));
            assertEquals(1, split.firstDay(), "an empty slice");
            assertEquals(0, split.lastDay(), "an empty slice");
            assertEquals(Instant.parse(r[0]), split.headFrom());
            assertEquals(Instant.parse(r[1]), split.headTo());
            assertEquals(split.tailFrom(), split.tailTo());
        }
    }

    @Test
    void daysBeforeTheEpochNumberLikeSql() {
        assertEquals(-1, DaySplit.epochDay(Instant.parse("1969-12-31T23:59:59Z")));
        assertEquals(0, DaySplit.epochDay(Instant.parse("1970-01-01T00:00:00Z")));
    }

    private static TimeRange range(String from, String to) {
        return new TimeRange(Instant.parse(from), Instant.parse(to));
    }
}
