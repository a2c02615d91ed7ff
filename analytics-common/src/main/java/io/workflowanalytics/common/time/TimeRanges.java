package io.workflowanalytics.common.time;

import io.workflowanalytics.common.problem.ProblemException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the time-range parameters of the API, the same way in every service: either a relative window ending now
 * ({@code timeRange=1h|24h|7d|30d|90d}, generally {@code N} followed by {@code m}, {@code h}, {@code d} or {@code w})
 * or an absolute pair of ISO-8601 instants or dates (UTC midnight). Faults are 400 problems naming the parameter.
 */
public final class TimeRanges {

    /** The longest range any view may ask for: a little over a year. */
    public static final Duration MAX_SPAN = Duration.ofDays(400);

    private static final Pattern RELATIVE = Pattern.compile("^(\\d{1,6})([mhdw])$");

    private TimeRanges() {
    }

    /**
     * @param timeRange relative window, used when neither start nor end is given; may be null to use the default
     * @param start     ISO start (inclusive) or null
     * @param end       ISO end (exclusive) or null; defaults to now when only start is given
     */
    public static TimeRange resolve(String timeRange, String start, String end, String defaultRange, Instant now) {
        if (isBlank(start) && isBlank(end)) {
            String relative = isBlank(timeRange) ? defaultRange : timeRange.trim();
            return new TimeRange(now.minus(relative("timeRange", relative)), now);
        }
        if (!isBlank(timeRange)) {
            throw ProblemException.invalid("timeRange", "give either timeRange or start/end, not both");
        }
        if (isBlank(start)) {
            throw ProblemException.invalid("start", "is required when end is given");
        }
        Instant from = instant("start", start);
        Instant to = isBlank(end) ? now : instant("end", end);
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("end", "must be after start");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw ProblemException.invalid("start", "the range may span at most " + MAX_SPAN.toDays() + " days");
        }
        return new TimeRange(from, to);
    }

    /** A relative window such as {@code 24h}; {@code parameter} names it in the problem when it is malformed. */
    public static Duration relative(String parameter, String value) {
        Matcher m = value == null ? null : RELATIVE.matcher(value.trim());
        if (m == null || !m.matches()) {
            throw ProblemException.invalid(parameter,
                    "must be a window such as 1h, 24h, 7d, 30d or 90d (N followed by m, h, d or w)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        if (d.isZero() || d.compareTo(MAX_SPAN) > 0) {
            throw ProblemException.invalid(parameter, "must be between 1m and " + MAX_SPAN.toDays() + "d");
        }
        return d;
    }

    /** An ISO-8601 instant ({@code 2026-11-01T00:00:00Z}, offsets allowed) or date ({@code 2026-11-01}, UTC). */
    public static Instant instant(String parameter, String value) {
        String v = value.trim();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(parameter,
                    "must be an ISO-8601 instant such as 2026-11-01T00:00:00Z or a date such as 2026-11-01");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
