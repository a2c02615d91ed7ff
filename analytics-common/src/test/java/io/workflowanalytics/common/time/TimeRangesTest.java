package io.workflowanalytics.common.time;

import io.workflowanalytics.common.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimeRangesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @ParameterizedTest
    @CsvSource({"1h,PT1H", "24h,PT24H", "7d,P7D", "30d,P30D", "90d,P90D", "15m,PT15M", "2w,P14D"})
    void relativeWindowEndsNow(String timeRange, String expected) {
        TimeRange range = TimeRanges.resolve(timeRange, null, null, "24h", NOW);
        assertEquals(NOW, range.end());
        assertEquals(Duration.parse(expected), range.duration());
    }

    @Test
    void defaultWindowAppliesWhenNothingIsGiven() {
        assertEquals(Duration.ofDays(7), TimeRanges.resolve(null, null, null, "7d", NOW).duration());
    }

    @Test
    void absoluteRangeAcceptsInstantsOffsetsAndDates() {
        TimeRange range = TimeRanges.resolve(null, "2026-11-01", "2026-11-02T01:00:00+01:00", "24h", NOW);
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), range.start());
        assertEquals(Instant.parse("2026-11-02T00:00:00Z"), range.end());
    }

    @Test
    void startAloneRunsUntilNow() {
        TimeRange range = TimeRanges.resolve("", "2026-11-25T11:30:00Z", null, "24h", NOW);
        assertEquals(Duration.ofMinutes(30), range.duration());
    }

    @Test
    void previousPeriodHasTheSameLengthAndEndsAtStart() {
        TimeRange range = TimeRanges.resolve("7d", null, null, "24h", NOW);
        TimeRange previous = range.previous();
        assertEquals(range.start(), previous.end());
        assertEquals(range.duration(), previous.duration());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "24", "h", "0h", "-1d", "1y", "401d", "1.5h", "24H"})
    void malformedRelativeWindowNamesTimeRange(String timeRange) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> TimeRanges.resolve(timeRange, null, null, "24h", NOW));
        assertEquals(400, e.status());
        assertEquals("timeRange", e.errors().get(0).field());
    }

    @Test
    void faultsInAbsoluteRangesNameTheirParameter() {
        assertEquals("start", field(() -> TimeRanges.resolve(null, "last tuesday", null, "24h", NOW)));
        assertEquals("end", field(() -> TimeRanges.resolve(null, "2026-11-02", "2026-11-01", "24h", NOW)));
        assertEquals("start", field(() -> TimeRanges.resolve(null, null, "2026-11-01", "24h", NOW)));
        assertEquals("timeRange", field(() -> TimeRanges.resolve("7d", "2026-11-01", null, "24h", NOW)));
        assertEquals("start", field(() -> TimeRanges.resolve(null, "2024-01-01", "2026-01-01", "24h", NOW)));
    }

    private static String field(Runnable call) {
        return assertThrows(ProblemException.class, call::run).errors().get(0).field();
    }
}
