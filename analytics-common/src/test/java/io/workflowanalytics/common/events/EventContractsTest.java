package io.workflowanalytics.common.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import io.workflowanalytics.common.testing.EventSchemas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/events holds a JSON Schema per contract and an example per topic. Every example must satisfy its schema and
 * survive a round trip through the Java record unchanged; the schemas' enums must be exactly the Java enums.
 */
class EventContractsTest {

    private static final Path EVENTS = EventSchemas.dir();
    private static final ObjectMapper JSON = EventJson.mapper();

    /** topic (example file name), schema file, Java record (null where the payload is not JSON: the DLQ headers). */
    static Stream<Arguments> topics() {
        return Stream.of(
                Arguments.of("workflow.metrics", "analytics-metric", AnalyticsMetric.class),
                Arguments.of("analytics.metrics", "analytics-metric", AnalyticsMetric.class),
                Arguments.of("workflow.executions", "execution-event", ExecutionEvent.class),
                Arguments.of("analytics.executions", "execution-event", ExecutionEvent.class),
                Arguments.of("analytics.alerts", "alert-event", AlertEvent.class),
                Arguments.of("analytics.anomalies", "anomaly-event", AnomalyEvent.class),
                Arguments.of("analytics.health", "health-event", HealthEvent.class),
                Arguments.of("workflow.dlq", "dlq-headers", null),
                Arguments.of("stream", "stream-event", StreamEvent.class));
    }

    @Test
    void everyTopicHasAnExample() {
        Set<String> documented = topics().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        assertTrue(documented.containsAll(Topics.ALL), "topics without an example: " + Topics.ALL);
    }

    @ParameterizedTest(name = "{0} example satisfies {1}.schema.json")
    @MethodSource("topics")
    void exampleSatisfiesItsSchema(String topic, String schema, Class<?> type) throws IOException {
        List<Error> errors = schema(schema).validate(example(topic), InputFormat.JSON);
        assertTrue(errors.isEmpty(), topic + ": " + errors);
    }

    @ParameterizedTest(name = "{0} example round-trips through {2}")
    @MethodSource("topics")
    void exampleRoundTripsThroughTheJavaRecord(String topic, String schema, Class<?> type) throws IOException {
        if (type == null) {
            return;
        }
        JsonNode original = JSON.readTree(example(topic));
        Object event = JSON.treeToValue(original, type);
        JsonNode written = JSON.readTree(EventJson.toBytes(event));
        assertTrue(original.equals(NUMERIC_EQUALITY, written),
                topic + " changed in the round trip:\n" + original.toPrettyString() + "\nbecame\n" + written.toPrettyString());
    }

    @ParameterizedTest(name = "{1}.schema.json enums match the Java enums")
    @MethodSource("topics")
    void schemaEnumsAreTheJavaEnums(String topic, String schema, Class<?> type) throws IOException {
        JsonNode defs = JSON.readTree(Files.readString(EVENTS.resolve(schema + ".schema.json"))).path("$defs");
        List<String> checked = new ArrayList<>();
        for (var it = defs.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Class<?> javaEnum = javaEnum(name);
            if (javaEnum == null) {
                continue;
            }
            Set<String> inSchema = new TreeSet<>();
            defs.get(name).path("enum").forEach(v -> inSchema.add(v.asText()));
            Set<String> inJava = Arrays.stream(javaEnum.getEnumConstants()).map(c -> ((WireEnum) c).wire())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(inJava, inSchema, name + " in " + schema);
            checked.add(name);
        }
        if (type != null && type != HealthEvent.class) {
            assertFalse(checked.isEmpty(), schema + " defines no enum to check");
        }
    }

    @Test
    void unknownEnumValueIsRejectedBySchemaAndByTheRecord() throws IOException {
        ObjectNode metric = (ObjectNode) JSON.readTree(example("workflow.metrics"));
        metric.put("metricType", "exec_time");
        String bad = JSON.writeValueAsString(metric);
        assertFalse(schema("analytics-metric").validate(bad, InputFormat.JSON).isEmpty());
        assertThrows(IOException.class, () -> EventJson.fromBytes(bad.getBytes(), AnalyticsMetric.class));
    }

    @Test
    void missingRequiredFieldIsRejectedBySchema() throws IOException {
        ObjectNode execution = (ObjectNode) JSON.readTree(example("workflow.executions"));
        execution.remove("executionId");
        List<Error> errors = schema("execution-event").validate(JSON.writeValueAsString(execution), InputFormat.JSON);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage().contains("executionId"), errors.toString());
    }

    @Test
    void enumsTravelInTheSpecsLowerCaseSpelling() throws IOException {
        assertEquals("\"execution_time\"", JSON.writeValueAsString(MetricType.EXECUTION_TIME));
        assertEquals(AlertType.ERROR_RATE_SPIKE, JSON.readValue("\"error_rate_spike\"", AlertType.class));
        assertThrows(IOException.class, () -> JSON.readValue("\"ERROR_RATE_SPIKE\"", AlertType.class));
    }

    @Test
    void streamEventNamesItsSseEventWithTheAnalyticsPrefix() {
        StreamEvent event = new StreamEvent("1", StreamEventType.ALERT_TRIGGERED, "w", null, null, null);
        assertEquals("analytics.alert_triggered", event.sseName());
    }

    private static Schema schema(String name) {
        return EventSchemas.schema(name);
    }

    private static String example(String topic) throws IOException {
        return Files.readString(EVENTS.resolve(topic + ".example.json"));
    }

    private static Class<?> javaEnum(String name) {
        try {
            Class<?> c = Class.forName(WireEnum.class.getPackageName() + "." + name);
            return c.isEnum() ? c : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** 1834.5 written as 1834.50 or 3 as 3.0 is the same number on the wire. */
    private static final Comparator<JsonNode> NUMERIC_EQUALITY = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
