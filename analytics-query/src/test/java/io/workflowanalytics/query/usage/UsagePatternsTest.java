package io.workflowanalytics.query.usage;

import io.workflowanalytics.common.events.UserType;
import io.workflowanalytics.query.usage.UsageView.PeakWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsagePatternsTest {

    @Test
    void exposureCountsThePartialHoursAndDaysAtTheEdges() {
        // Monday 2026-11-02 22:30 to Tuesday 01:15.
        Instant start = Instant.parse("2026-11-02T22:30:00Z");
        Instant end = Instant.parse("2026-11-03T01:15:00Z");
        long[] hours = UsagePatterns.hourExposure(start, end);
        assertEquals(1800, hours[22]);
        assertEquals(3600, hours[23]);
        assertEquals(3600, hours[0]);
        assertEquals(900, hours[1]);
        assertEquals(0, hours[2]);
        long[] days = UsagePatterns.weekdayExposure(start, end);
        assertArrayEquals(new long[] {5400, 4500, 0, 0, 0, 0, 0}, days);
    }

    @Test
    void peakWindowIsARunOfHoursAtLeastOneAndAHalfTimesTheMeanLoad() {
        long[] hourly = new long[24];
        long[] exposure = new long[24];
        for (int h = 0; h < 24; h++) {
            hourly[h] = 10;
            exposure[h] = 3600;
        }
        hourly[9] = 40;
        hourly[10] = 30;
        hourly[11] = 14; // below 1.5 × the mean of 12.25
        List<PeakWindow> windows = UsagePatterns.peakWindows(hourly, exposure);
        assertEquals(List.of(new PeakWindow("09:00", "11:00", 35.0, 40.0, 2, "daily")), windows);
    }

    @Test
    void peakWindowRunsAcrossMidnightAsOneWindowAndBusiestComesFirst() {
        long[] hourly = new long[24];
        long[] exposure = new long[24];
        for (int h = 0; h < 24; h++) {
            hourly[h] = 10;
            exposure[h] = 3600;
        }
        hourly[23] = 50;
        hourly[0] = 60;
        hourly[12] = 80;
        List<PeakWindow> windows = UsagePatterns.peakWindows(hourly, exposure);
        assertEquals(2, windows.size());
        assertEquals(new PeakWindow("12:00", "13:00", 80.0, 80.0, 1, "daily"), windows.get(0));
        assertEquals(new PeakWindow("23:00", "01:00", 55.0, 60.0, 2, "daily"), windows.get(1));
    }

    @Test
    void loadIsPerHourOfExposureSoAHalfCoveredHourIsNotUnderrated() {
        long[] hourly = new long[24];
        long[] exposure = new long[24];
        for (int h = 0; h < 24; h++) {
            hourly[h] = 10;
            exposure[h] = 3600;
        }
        hourly[5] = 10;
        exposure[5] = 1200; // 10 executions in 20 minutes: 30 per hour
        List<PeakWindow> windows = UsagePatterns.peakWindows(hourly, exposure);
        assertEquals(1, windows.size());
        assertEquals(30.0, windows.get(0).peakLoad(), 1e-12);
    }

    @Test
    void noDataHasNoPeakWindows() {
        assertTrue(UsagePatterns.peakWindows(new long[24], new long[24]).isEmpty());
    }

    @Test
    void segmentsSplitAtThreeAndAHalfExecutionsPerDay() {
        assertEquals(UserType.POWER_USER, UsagePatterns.segment(3.0));
        assertEquals(UserType.REGULAR_USER, UsagePatterns.segment(2.999));
        assertEquals(UserType.REGULAR_USER, UsagePatterns.segment(0.5));
        assertEquals(UserType.OCCASIONAL_USER, UsagePatterns.segment(0.499));
        assertEquals(1.0, UsagePatterns.rangeDays(Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-01T06:00:00Z")));
    }

    @Test
    void preferredSlotsAreTheBusiestHoursWellAboveTheUsersMean() {
        long[] byHour = new long[24];
        byHour[14] = 9;
        byHour[15] = 9;
        byHour[9] = 12;
        byHour[3] = 1; // below 1.5 × 31/24
        byHour[20] = 9;
        assertEquals(List.of("09:00-10:00", "14:00-15:00", "15:00-16:00"), UsagePatterns.preferredSlots(byHour));
        long[] late = new long[24];
        late[23] = 1;
        assertEquals(List.of("23:00-00:00"), UsagePatterns.preferredSlots(late));
        assertTrue(UsagePatterns.preferredSlots(new long[24]).isEmpty());
    }

    @Test
    void weeksAndMonthsAreEveryOneTheRangeTouches() {
        Instant start = Instant.parse("2026-10-28T10:00:00Z"); // a Wednesday
        Instant end = Instant.parse("2026-11-09T00:00:00Z"); // a Monday, exclusive
        assertEquals(List.of(LocalDate.parse("2026-10-26"), LocalDate.parse("2026-11-02")),
                UsagePatterns.weekStarts(start, end));
        assertEquals(List.of(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-11-01")),
                UsagePatterns.monthStarts(start, end));
    }
}
