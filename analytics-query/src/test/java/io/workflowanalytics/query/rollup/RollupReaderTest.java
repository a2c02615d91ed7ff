package io.workflowanalytics.query.rollup;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Series buckets merged in Java start where PostgreSQL's date_trunc puts them (UTC, ISO weeks from Monday). */
class RollupReaderTest {

    @Test
    void truncatesLikeDateTrunc() {
        Instant t = Instant.parse("2026-11-29T17:45:12Z"); // a Sunday
        assertEquals(Instant.parse("2026-11-29T17:45:00Z"), RollupReader.truncate(t, Granularity.MINUTE));
        assertEquals(Instant.parse("2026-11-29T17:00:00Z"), RollupReader.truncate(t, Granularity.HOUR));
        assertEquals(Instant.parse("2026-11-29T00:00:00Z"), RollupReader.truncate(t, Granularity.DAY));
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), RollupReader.truncate(t, Granularity.WEEK));
        assertEquals(Instant.parse("2026-11-30T00:00:00Z"),
                RollupReader.truncate(Instant.parse("2026-11-30T00:00:00Z"), Granularity.WEEK), "a Monday itself");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), RollupReader.truncate(t, Granularity.MONTH));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"),
                RollupReader.truncate(Instant.parse("2027-01-01T00:00:00Z"), Granularity.MONTH));
    }
}
