package io.workflowanalytics.common.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;

/**
 * ISO-8601 UTC instants as every producer of ours writes them ({@code 2026-12-02T07:24:48.483123Z}: four-digit year,
 * seconds 00–59, 0–9 fraction digits, {@code Z}), parsed by hand. {@link Instant#parse} goes through
 * {@code DateTimeFormatter}, whose per-call field maps took a tenth of metrics-ingest's CPU (profiled). Anything not
 * in that exact form (offsets, leap seconds, wider years, malformed text) goes to the JDK's parser, so what is
 * accepted and how it is rejected do not change.
 */
public final class IsoInstants {

    private static final int[] DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private IsoInstants() {
    }

    /** {@link Instant#parse}, with the common form parsed by hand. */
    public static Instant parse(CharSequence text) {
        Instant fast = parseSimple(text, 0, text.length());
        return fast != null ? fast : Instant.parse(text);
    }

    /**
     * The instant written at {@code from} (inclusive) to {@code to} (exclusive) of {@code text}, or null when that
     * range is not exactly the simple UTC form (the caller then falls back to a full parser).
     */
    public static Instant parseSimple(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 20 || length > 30 || text.charAt(to - 1) != 'Z' || text.charAt(from + 4) != '-'
                || text.charAt(from + 7) != '-' || text.charAt(from + 10) != 'T' || text.charAt(from + 13) != ':'
                || text.charAt(from + 16) != ':') {
            return null;
        }
        int year = digits(text, from, 4);
        int month = digits(text, from + 5, 2);
        int day = digits(text, from + 8, 2);
        int hour = digits(text, from + 11, 2);
        int minute = digits(text, from + 14, 2);
        int second = digits(text, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]
                || (month == 2 && day == 29 && !isLeap(year)) || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        int fractionEnd = to - 1;
        int i = from + 19;
        if (i < fractionEnd) {
            if (text.charAt(i) != '.' || fractionEnd - i - 1 < 1 || fractionEnd - i - 1 > 9) {
                return null;
            }
            int scale = 100_000_000;
            for (i++; i < fractionEnd; i++) {
                int d = text.charAt(i) - '0';
                if (d < 0 || d > 9) {
                    return null;
                }
                nanos += d * scale;
                scale /= 10;
            }
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Non-negative value of {@code n} decimal digits, or -1 when one of them is not a digit. */
    private static int digits(CharSequence s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static boolean isLeap(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Jackson's deserializer for {@link Instant} with the fast path first; everything else as JavaTimeModule does. */
    static final class Deserializer extends StdScalarDeserializer<Instant> {

        Deserializer() {
            super(Instant.class);
        }

        /**
         * Read to the microsecond, the precision PostgreSQL keeps: an event's instants are then the same in the
         * store, on the topics and in every service's memory. Nanoseconds kept here but not in the store had let two
         * events of one execution differ in Java and collide in one upsert.
         */
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                String text = p.getText();
                Instant fast = parseSimple(text, 0, text.length());
                if (fast != null) {
                    return toMicros(fast);
                }
            }
            Instant parsed = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            return parsed == null ? null : toMicros(parsed);
        }

        private static Instant toMicros(Instant t) {
            return t.getNano() % 1000 == 0 ? t : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        }
    }
}
