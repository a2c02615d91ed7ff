package io.workflowanalytics.common.events;

import com.fasterxml.jackson.databind.JsonMappingException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IsoInstantsTest {

    @Test
    void agreesWithTheJdkOnRandomInstantsAtEveryFractionLength() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    random.nextInt(1_000_000_000));
            // Every fraction length a producer may write: 0–9 digits.
            String seconds = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            int digits = random.nextInt(10);
            String text = digits == 0 ? seconds : seconds.substring(0, seconds.length() - 1) + "."
                    + String.format("%09d", t.getNano()).substring(0, digits) + "Z";
            assertEquals(Instant.parse(text), IsoInstants.parse(text), text);
            assertEquals(Instant.parse(text), IsoInstants.parseSimple(text, 0, text.length()), text);
        }
    }

    @Test
    void impossibleDatesAndTimesAreNotTakenByTheFastPath() {
        for (String text : List.of("2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02T10:60:00Z",
                "2026-12-02T10:00:61Z", "2026-12-02T10:00:00.Z", "2026-12-02T10:00:00.1234567890Z",
                "2026-12-02 10:00:00Z", "2026-12-02T10:00:00", "2026-12-02T10:00:00+01:00", "2026-1a-02T10:00:00Z",
                " 2026-12-02T10:00:00Z", "+2026-12-02T10:00:00Z", "2026-12-02T10:00:00.12a4Z")) {
            assertNull(IsoInstants.parseSimple(text, 0, text.length()), text);
        }
        assertEquals(Instant.parse("2024-02-29T12:00:00Z"), IsoInstants.parse("2024-02-29T12:00:00Z"));
        assertEquals(Instant.parse("2000-02-29T00:00:00Z"), IsoInstants.parse("2000-02-29T00:00:00Z"));
        assertNull(IsoInstants.parseSimple("1900-02-29T00:00:00Z", 0, 20));
    }

    @Test
    void whatTheFastPathLeavesGoesToTheJdkWithItsVerdict() {
        // Offsets are valid ISO-8601 and still accepted; impossible dates still rejected.
        assertEquals(Instant.parse("2026-12-02T10:00:00+01:00"), IsoInstants.parse("2026-12-02T10:00:00+01:00"));
        assertThrows(java.time.format.DateTimeParseException.class, () -> IsoInstants.parse("2026-02-30T00:00:00Z"));
        assertThrows(java.time.format.DateTimeParseException.class, () -> IsoInstants.parse("yesterday"));
    }

    @Test
    void eventJsonReadsInstantsThroughTheFastPathAndRejectsTheRestAsBefore() throws IOException {
        record Stamp(Instant at) {
        }
        assertEquals(Instant.parse("2026-12-02T07:24:48.483123Z"),
                EventJson.fromBytes(bytes("{\"at\":\"2026-12-02T07:24:48.483123Z\"}"), Stamp.class).at());
        assertEquals(Instant.parse("2026-12-02T06:24:48Z"),
                EventJson.fromBytes(bytes("{\"at\":\"2026-12-02T07:24:48+01:00\"}"), Stamp.class).at());
        assertEquals(Instant.ofEpochSecond(1_764_660_288L),
                EventJson.fromBytes(bytes("{\"at\":1764660288}"), Stamp.class).at());
        assertThrows(JsonMappingException.class,
                () -> EventJson.fromBytes(bytes("{\"at\":\"2026-02-30T00:00:00Z\"}"), Stamp.class));
        assertThrows(JsonMappingException.class, () -> EventJson.fromBytes(bytes("{\"at\":\"soon\"}"), Stamp.class));
    }

    @Test
    void eventJsonKeepsInstantsToTheMicrosecondAsTheStoreDoes() throws IOException {
        record Stamp(Instant at) {
        }
        assertEquals(Instant.parse("2026-12-02T07:24:48.483123Z"),
                EventJson.fromBytes(bytes("{\"at\":\"2026-12-02T07:24:48.483123789Z\"}"), Stamp.class).at());
        assertEquals(Instant.parse("2026-12-02T06:24:48.000001Z"),
                EventJson.fromBytes(bytes("{\"at\":\"2026-12-02T07:24:48.0000019+01:00\"}"), Stamp.class).at(),
                "the JDK's path too");
        assertEquals(Instant.ofEpochSecond(1_764_660_288L, 123_456_000),
                EventJson.fromBytes(bytes("{\"at\":1764660288.123456789}"), Stamp.class).at());
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
