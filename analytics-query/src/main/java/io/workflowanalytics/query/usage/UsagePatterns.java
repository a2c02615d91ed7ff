package io.workflowanalytics.query.usage;

import io.workflowanalytics.common.events.UserType;
import io.workflowanalytics.query.usage.UsageView.PeakWindow;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The usage view's rules as pure functions: how long each hour of day and weekday is exposed in a range (so that
 * loads compare hours fairly when the range is not whole days), peak windows, user segments and preferred time slots.
 */
public final class UsagePatterns {

    /** An hour of day is part of a peak window when its load is at least this many times the mean hourly load. */
    public static final double PEAK_FACTOR = 1.5;
    /** A user is a power user from this many executions per day of the range … */
    public static final double POWER_USER_PER_DAY = 3.0;
    /** … a regular user from this many, an occasional user below. */
    public static final double REGULAR_USER_PER_DAY = 0.5;
    /** A user's hour of day is a preferred slot when it holds at least this many times the user's mean per hour … */
    public static final double PREFERRED_SLOT_FACTOR = 1.5;
    /** … and only the busiest few of those are named. */
    public static final int MAX_PREFERRED_SLOTS = 3;

    private UsagePatterns() {
    }

    /** Seconds of the range [start, end) that fall in each UTC hour of day. */
    public static long[] hourExposure(Instant start, Instant end) {
        long[] seconds = new long[24];
        for (Instant h = start.truncatedTo(ChronoUnit.HOURS); h.isBefore(end); h = h.plus(1, ChronoUnit.HOURS)) {
            Instant from = h.isBefore(start) ? start : h;
            Instant next = h.plus(1, ChronoUnit.HOURS);
            Instant to = next.isAfter(end) ? end : next;
            seconds[h.atZone(ZoneOffset.UTC).getHour()] += to.getEpochSecond() - from.getEpochSecond();
        }
        return seconds;
    }

    /** Seconds of the range [start, end) that fall on each ISO weekday (index 0 = Monday). */
    public static long[] weekdayExposure(Instant start, Instant end) {
        long[] seconds = new long[7];
        for (Instant d = start.truncatedTo(ChronoUnit.DAYS); d.isBefore(end); d = d.plus(1, ChronoUnit.DAYS)) {
            Instant from = d.isBefore(start) ? start : d;
            Instant next = d.plus(1, ChronoUnit.DAYS);
            Instant to = next.isAfter(end) ? end : next;
            seconds[d.atZone(ZoneOffset.UTC).getDayOfWeek().getValue() - 1] += to.getEpochSecond()
                    - from.getEpochSecond();
        }
        return seconds;
    }

    /** Executions per hour of exposure (0 for an hour of day the range does not touch). */
    public static double load(long executions, long exposureSeconds) {
        return exposureSeconds == 0 ? 0 : executions / (exposureSeconds / 3600.0);
    }

    /**
     * Runs of consecutive hours of day (wrapping past midnight) whose load is at least {@link #PEAK_FACTOR} times the
     * mean hourly load (all executions over all hours of the range). A window's averageLoad is its executions over
     * its exposure, peakLoad its busiest hour's load. Busiest first.
     */
    public static List<PeakWindow> peakWindows(long[] hourly, long[] exposure) {
        long total = 0;
        long seconds = 0;
        for (int h = 0; h < 24; h++) {
            total += hourly[h];
            seconds += exposure[h];
        }
        double mean = load(total, seconds);
        boolean[] hot = new boolean[24];
        int hotCount = 0;
        for (int h = 0; h < 24; h++) {
            hot[h] = mean > 0 && hourly[h] > 0 && load(hourly[h], exposure[h]) >= PEAK_FACTOR * mean;
            hotCount += hot[h] ? 1 : 0;
        }
        List<PeakWindow> out = new ArrayList<>();
        if (hotCount == 0) {
            return out;
        }
        // Start scanning just after a quiet hour so that a run across midnight is seen whole.
        int first = 0;
        while (hot[first] && first < 23) {
            first++;
        }
        int h = first;
        for (int step = 0; step < 24; ) {
            if (!hot[h]) {
                h = (h + 1) % 24;
                step++;
                continue;
            }
            int start = h;
            int length = 0;
            long executions = 0;
            long exposed = 0;
            double peak = 0;
            while (hot[h] && step < 24) {
                executions += hourly[h];
                exposed += exposure[h];
                peak = Math.max(peak, load(hourly[h], exposure[h]));
                length++;
                h = (h + 1) % 24;
                step++;
            }
            out.add(new PeakWindow(clock(start), clock((start + length) % 24), load(executions, exposed), peak,
                    length, "daily"));
        }
        out.sort(Comparator.comparingDouble(PeakWindow::peakLoad).reversed().thenComparing(PeakWindow::startTime));
        return out;
    }

    /** The days a range counts for per-day rates: its length in days, at least 1. */
    public static double rangeDays(Instant start, Instant end) {
        return Math.max(1.0, (end.getEpochSecond() - start.getEpochSecond()) / 86400.0);
    }

    public static UserType segment(double executionsPerDay) {
        if (executionsPerDay >= POWER_USER_PER_DAY) {
            return UserType.POWER_USER;
        }
        return executionsPerDay >= REGULAR_USER_PER_DAY ? UserType.REGULAR_USER : UserType.OCCASIONAL_USER;
    }

    /**
     * A user's preferred UTC hours ("HH:00-HH:00"): those holding at least {@link #PREFERRED_SLOT_FACTOR} times the
     * user's mean executions per hour of day, busiest first (earlier hour on ties), at most
     * {@link #MAX_PREFERRED_SLOTS}.
     */
    public static List<String> preferredSlots(long[] byHour) {
        long n = 0;
        for (long c : byHour) {
            n += c;
        }
        double threshold = PREFERRED_SLOT_FACTOR * n / 24.0;
        List<Integer> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            if (byHour[h] > 0 && byHour[h] >= threshold) {
                hours.add(h);
            }
        }
        hours.sort(Comparator.comparingLong((Integer h) -> byHour[h]).reversed().thenComparing(h -> h));
        List<String> out = new ArrayList<>();
        for (int h : hours.subList(0, Math.min(MAX_PREFERRED_SLOTS, hours.size()))) {
            out.add(clock(h) + "-" + clock((h + 1) % 24));
        }
        return out;
    }

    /** The Mondays (UTC) of the ISO weeks that [start, end) touches, oldest first. */
    public static List<LocalDate> weekStarts(Instant start, Instant end) {
        LocalDate first = start.atZone(ZoneOffset.UTC).toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate last = end.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusWeeks(1)) {
            out.add(d);
        }
        return out;
    }

    /** The first days (UTC) of the calendar months that [start, end) touches, oldest first. */
    public static List<LocalDate> monthStarts(Instant start, Instant end) {
        LocalDate first = start.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        LocalDate last = end.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusMonths(1)) {
            out.add(d);
        }
        return out;
    }

    /** Index of the largest value, the earliest on ties; -1 when all are zero. */
    public static int busiest(double[] values) {
        int best = -1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] > 0 && (best < 0 || values[i] > values[best])) {
                best = i;
            }
        }
        return best;
    }

    public static String dayName(int isoIndex) {
        return DayOfWeek.of(isoIndex + 1).name().toLowerCase(Locale.ROOT);
    }

    static String clock(int hour) {
        return String.format(Locale.ROOT, "%02d:00", hour);
    }
}
