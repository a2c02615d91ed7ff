package io.workflowanalytics.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON configuration of the event contracts: ISO-8601 instants, absent fields omitted, unknown fields
 * tolerated (a newer producer may add fields; the schemaVersion says when meaning changes).
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            // Registered after JavaTimeModule, so that it wins for Instant: see IsoInstants.
            .registerModule(new SimpleModule("iso-instants").addDeserializer(Instant.class, new IsoInstants.Deserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** Current schema version of every contract. */
    public static final int SCHEMA_VERSION = 1;

    private EventJson() {
    }

    /** A copy, so that callers can never change the shared configuration. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    public static byte[] toBytes(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    /** Reads one event; a malformed record raises {@link IOException} with Jackson's description of the fault. */
    public static <T> T fromBytes(byte[] bytes, Class<T> type) throws IOException {
        return MAPPER.readValue(bytes, type);
    }

    public static <T> T fromString(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toString(Object event) {
        return new String(toBytes(event), java.nio.charset.StandardCharsets.UTF_8);
    }
}
