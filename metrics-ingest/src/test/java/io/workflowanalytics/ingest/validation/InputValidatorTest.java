package io.workflowanalytics.ingest.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.TestEvents;
import io.workflowanalytics.ingest.config.IngestConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String WORKFLOW = UUID.randomUUID().toString();
    private static final ObjectMapper JSON = EventJson.mapper();

    private final InputValidator validator = new InputValidator(new Defaults());

    @Test
    void acceptsAValidMetricAndExecution() {
        var metric = validator.metric(EventJson.toBytes(TestEvents.metric(WORKFLOW, MetricType.COST, 0.4, NOW)), NOW);
        assertTrue(metric.valid(), String.valueOf(metric.rejection()));
        var execution = validator.execution(EventJson.toBytes(
                TestEvents.finished(WORKFLOW, UUID.randomUUID().toString(), NOW.minusSeconds(60), true)), NOW);
        assertTrue(execution.valid(), String.valueOf(execution.rejection()));
    }

    @Test
    void rejectsEachKindOfFaultWithItsReasonAndField() {
        expectMetric(RejectReason.MALFORMED_JSON, "record", "{\"id\": ".getBytes(StandardCharsets.UTF_8));
        expectMetric(RejectReason.MISSING_FIELD, "value", m -> m.remove("value"));
        expectMetric(RejectReason.MISSING_FIELD, "eventId", m -> m.remove("eventId"));
        expectMetric(RejectReason.UNKNOWN_ENUM, "metricType", m -> m.put("metricType", "exec_time"));
        expectMetric(RejectReason.UNKNOWN_ENUM, "source", m -> m.put("source", "RUNTIME_ENGINE"));
        expectMetric(RejectReason.INVALID_VALUE, "value", m -> m.put("value", "fast"));
        expectMetric(RejectReason.INVALID_VALUE, "value", m -> m.put("value", 1e300));
        expectMetric(RejectReason.INVALID_VALUE, "value", m -> m.put("metricType", "error_rate").put("value", 1.5));
        expectMetric(RejectReason.INVALID_VALUE, "value", m -> m.put("value", -3));
        expectMetric(RejectReason.INVALID_VALUE, "workflowId", m -> m.put("workflowId", "wf-42"));
        expectMetric(RejectReason.INVALID_VALUE, "schemaVersion", m -> m.put("schemaVersion", 2));
        expectMetric(RejectReason.OUT_OF_RANGE_TIMESTAMP, "timestamp",
                m -> m.put("timestamp", NOW.plus(Duration.ofHours(1)).toString()));
        expectMetric(RejectReason.OUT_OF_RANGE_TIMESTAMP, "timestamp",
                m -> m.put("timestamp", NOW.minus(Duration.ofDays(121)).toString()));
        expectMetric(RejectReason.INVALID_VALUE, "timestamp", m -> m.put("timestamp", "yesterday"));
        expectMetric(RejectReason.INVALID_VALUE, "dimensions.nodeId", m -> m.putObject("dimensions").putObject("nodeId"));
        expectMetric(RejectReason.UNKNOWN_ENUM, "dimensions.errorType", m -> m.putObject("dimensions").put("errorType", "oops"));
        expectMetric(RejectReason.INVALID_VALUE, "tags[0]", m -> m.putArray("tags").add(""));
        expectMetric(RejectReason.INVALID_VALUE, "dimensions", m -> {
            ObjectNode dims = m.putObject("dimensions");
            for (int i = 0; i < 33; i++) {
                dims.put("k" + i, i);
            }
        });
        expectMetric(RejectReason.INVALID_VALUE, "dimensions.nodeId", m -> m.putObject("dimensions").put("nodeId", "a\u0000b"));
        expectMetric(RejectReason.INVALID_VALUE, "tags[0]", m -> m.putArray("tags").add("x\u0000"));
        expectMetric(RejectReason.TOO_LARGE, "record", m -> m.putObject("dimensions").put("blob", "x".repeat(70_000)));
    }

    @Test
    void rejectsExecutionsWithoutTheirOutcome() {
        var failed = TestEvents.finished(WORKFLOW, UUID.randomUUID().toString(), NOW.minusSeconds(60), true);
        expectExecution(RejectReason.MISSING_FIELD, "errorType", failed, e -> e.remove("errorType"));
        expectExecution(RejectReason.MISSING_FIELD, "durationMs", failed, e -> e.remove("durationMs"));
        expectExecution(RejectReason.INVALID_VALUE, "finishedAt", failed,
                e -> e.put("finishedAt", NOW.minusSeconds(3600).toString()));
        expectExecution(RejectReason.INVALID_VALUE, "nodes[1].durationMs", failed,
                e -> ((ObjectNode) e.withArray("nodes").get(1)).put("durationMs", -1));
        expectExecution(RejectReason.INVALID_VALUE, "resourceUsage.cpuPercent", failed,
                e -> e.with("resourceUsage").put("cpuPercent", 140));
        expectExecution(RejectReason.UNKNOWN_ENUM, "costs[0].component", failed,
                e -> ((ObjectNode) e.withArray("costs").get(0)).put("component", "gpu"));
        expectExecution(RejectReason.INVALID_VALUE, "country", failed, e -> e.put("country", "Germany"));
        expectExecution(RejectReason.INVALID_VALUE, "executionId", failed, e -> e.put("executionId", "run-1"));
        // Values the raw store's DECIMAL(15,6) cannot hold are rejects, not database errors.
        expectExecution(RejectReason.INVALID_VALUE, "resourceUsage.networkBytesIn", failed,
                e -> e.with("resourceUsage").put("networkBytesIn", 2_000_000_000L));
        expectExecution(RejectReason.INVALID_VALUE, "durationMs", failed, e -> e.put("durationMs", 1e10));
        expectExecution(RejectReason.INVALID_VALUE, "errorMessage", failed, e -> e.put("errorMessage", "bad\u0000"));
    }

    @Test
    void holdsWhatAStartedEventCarriesOfAnOutcomeToTheSameRules() {
        var started = TestEvents.started(WORKFLOW, UUID.randomUUID().toString(), NOW.minusSeconds(60));
        expectExecution(RejectReason.INVALID_VALUE, "durationMs", started, e -> e.put("durationMs", -5));
        expectExecution(RejectReason.INVALID_VALUE, "durationMs", started, e -> e.put("durationMs", 1e10));
        expectExecution(RejectReason.OUT_OF_RANGE_TIMESTAMP, "finishedAt", started,
                e -> e.put("finishedAt", NOW.plusSeconds(86_400).toString()));
        expectExecution(RejectReason.INVALID_VALUE, "finishedAt", started,
                e -> e.put("finishedAt", NOW.minusSeconds(3600).toString()));
        assertTrue(validator.execution(JSON.valueToTree(started).toString().getBytes(StandardCharsets.UTF_8), NOW)
                .valid(), "without them it is valid");
    }

    private void expectMetric(RejectReason reason, String field, Consumer<ObjectNode> breakIt) {
        ObjectNode node = JSON.valueToTree(TestEvents.metric(WORKFLOW, MetricType.EXECUTION_TIME, 120, NOW));
        breakIt.accept(node);
        expectMetric(reason, field, node.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void expectMetric(RejectReason reason, String field, byte[] bytes) {
        var checked = validator.metric(bytes, NOW);
        assertNull(checked.value());
        assertEquals(reason, checked.rejection().reason(), checked.rejection().detail());
        assertEquals(field, checked.rejection().field(), checked.rejection().detail());
    }

    private void expectExecution(RejectReason reason, String field, Object valid, Consumer<ObjectNode> breakIt) {
        ObjectNode node = JSON.valueToTree(valid);
        breakIt.accept(node);
        var checked = validator.execution(node.toString().getBytes(StandardCharsets.UTF_8), NOW);
        assertNull(checked.value(), field);
        assertEquals(reason, checked.rejection().reason(), checked.rejection().detail());
        assertEquals(field, checked.rejection().field(), checked.rejection().detail());
    }

    /** The configuration's documented defaults. */
    static final class Defaults implements IngestConfig {
        public int maxRecordBytes() { return 65536; }
        public int maxHttpBodyBytes() { return 5 << 20; }
        public int maxBatchItems() { return 10000; }
        public Duration maxFutureSkew() { return Duration.ofMinutes(5); }
        public int maxDimensions() { return 32; }
        public int maxTags() { return 32; }
        public int maxLabelLength() { return 256; }
        public double maxAbsValue() { return 999_999_999; }
        public int metricsBatchesInFlight() { return 3; }
        public int executionsBatchesInFlight() { return 2; }
        public Retention retention() {
            return new Retention() {
                public int rawRetentionDays() { return 120; }
                public int partitionsAheadDays() { return 7; }
                public String checkEvery() { return "1h"; }
            };
        }
    }
}
