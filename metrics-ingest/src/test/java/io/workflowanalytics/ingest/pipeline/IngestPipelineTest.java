package io.workflowanalytics.ingest.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestEvents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Kafka write path end to end on the real broker and database. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class IngestPipelineTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void mixedStreamStoresEveryValidMetricOnceAndDeadLettersEveryInvalidOneWithItsReason() throws Exception {
        String workflow = UUID.randomUUID().toString();
        Instant now = Instant.now();
        List<AnalyticsMetric> valid = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            valid.add(TestEvents.metric(workflow, List.of(MetricType.EXECUTION_COUNT, MetricType.EXECUTION_TIME, MetricType.COST).get(i % 3), i * 1.25,
                    now.minus(Duration.ofMinutes(i * 13L))));
        }
        Map<String, byte[]> invalid = new TreeMap<>();
        invalid.put("malformed_json", "{\"id\": \"oops\"".getBytes(StandardCharsets.UTF_8));
        invalid.put("missing_field", broken(workflow, m -> m.remove("value")));
        invalid.put("unknown_enum", broken(workflow, m -> m.put("metricType", "exec_time")));
        invalid.put("invalid_value", broken(workflow, m -> m.put("value", -5)));
        invalid.put("out_of_range_timestamp", broken(workflow,
                m -> m.put("timestamp", now.plus(Duration.ofHours(2)).toString())));
        invalid.put("too_large", broken(workflow, m -> m.putObject("dimensions").put("blob", "x".repeat(70_000))));

        List<Map.Entry<String, byte[]>> stream = new ArrayList<>();
        valid.forEach(m -> stream.add(Map.entry(workflow, EventJson.toBytes(m))));
        invalid.values().forEach(bytes -> stream.add(Map.entry(workflow, bytes)));
        Collections.shuffle(stream, new java.util.Random(7));

        try (var deadLetters = TestKafka.readFromEnd(Topics.WORKFLOW_DLQ);
             var published = TestKafka.readFromEnd(Topics.ANALYTICS_METRICS)) {
            TestKafka.send(Topics.WORKFLOW_METRICS, stream);

            await().atMost(WAIT).until(() -> storedCount(workflow) == valid.size());

            List<ConsumerRecord<String, byte[]>> dlq = deadLetters.read(r -> workflow.equals(r.key()),
                    invalid.size(), WAIT);
            Map<String, byte[]> byReason = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> r : dlq) {
                byReason.put(header(r, Topics.DLQ_REASON_HEADER), r.value());
                assertEquals(Topics.WORKFLOW_METRICS, header(r, Topics.DLQ_SOURCE_TOPIC_HEADER));
            }
            assertEquals(invalid.size(), dlq.size());
            assertEquals(invalid.keySet(), byReason.keySet());
            invalid.forEach((reason, bytes) -> assertArrayEquals(bytes, byReason.get(reason), reason));

            List<ConsumerRecord<String, byte[]>> out = published.read(r -> workflow.equals(r.key()), valid.size(), WAIT);
            assertEquals(valid.size(), out.size());
            // As produced, read to the microsecond as every reader of ours does (the store's precision)
            Map<String, AnalyticsMetric> sent = new java.util.HashMap<>();
            for (AnalyticsMetric m : valid) {
                sent.put(m.id(), EventJson.fromBytes(EventJson.toBytes(m), AnalyticsMetric.class));
            }
            for (ConsumerRecord<String, byte[]> r : out) {
                AnalyticsMetric m = EventJson.fromBytes(r.value(), AnalyticsMetric.class);
                assertEquals(sent.get(m.id()), m, "published metric equals what was produced and stored");
            }
        }
        // What is stored is what was sent: type, value and timestamp of every row.
        Set<String> stored = Set.copyOf(TestDatabase.column("SELECT id || '|' || metric_type || '|' || value::float8"
                + " || '|' || extract(epoch from \"timestamp\")::numeric(20,6) FROM analytics_metrics WHERE workflow_id = '"
                + workflow + "'"));
        Set<String> expected = valid.stream().map(m -> m.id() + "|" + m.metricType().wire() + "|" + fmt(m.value())
                + "|" + new java.math.BigDecimal(m.timestamp().getEpochSecond()).add(
                        java.math.BigDecimal.valueOf(m.timestamp().getNano(), 9)).setScale(6)).collect(Collectors.toSet());
        assertEquals(expected, stored);
    }

    @Test
    void recordTheDatabaseRefusesIsDeadLetteredWhileTheRestOfItsBatchIsStored() throws Exception {
        // A rule validation does not know: PostgreSQL refuses value 4242.4242 (check violation, SQLSTATE 23514).
        TestDatabase.execute("ALTER TABLE analytics_metrics ADD CONSTRAINT test_refuses_4242 CHECK (value <> 4242.4242)");
        try {
            String workflow = UUID.randomUUID().toString();
            List<AnalyticsMetric> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(TestEvents.metric(workflow, MetricType.COST, i == 7 ? 4242.4242 : i, Instant.now()));
            }
            try (var deadLetters = TestKafka.readFromEnd(Topics.WORKFLOW_DLQ)) {
                TestKafka.send(Topics.WORKFLOW_METRICS, batch.stream()
                        .map(m -> Map.entry(workflow, EventJson.toBytes(m))).toList());
                await().atMost(WAIT).until(() -> storedCount(workflow) == 19);
                List<ConsumerRecord<String, byte[]>> dlq = deadLetters.read(r -> workflow.equals(r.key()), 1, WAIT);
                assertEquals(1, dlq.size());
                assertEquals("invalid_value", header(dlq.get(0), Topics.DLQ_REASON_HEADER));
                assertEquals(batch.get(7).id(), EventJson.fromBytes(dlq.get(0).value(), AnalyticsMetric.class).id());
            }
        } finally {
            TestDatabase.execute("ALTER TABLE analytics_metrics DROP CONSTRAINT test_refuses_4242");
        }
    }

    @Test
    void redeliveredMetricsAreStoredOnce() {
        String workflow = UUID.randomUUID().toString();
        List<Map.Entry<String, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(Map.entry(workflow, EventJson.toBytes(
                    TestEvents.metric(workflow, MetricType.COST, i, Instant.now().minusSeconds(i)))));
        }
        TestKafka.send(Topics.WORKFLOW_METRICS, batch);
        List<Map.Entry<String, byte[]>> again = new ArrayList<>(batch);
        Collections.reverse(again);
        TestKafka.send(Topics.WORKFLOW_METRICS, again);
        TestKafka.send(Topics.WORKFLOW_METRICS, batch);
        // Same key, same partition, in order: once the sentinel is stored, every copy before it was processed.
        AnalyticsMetric sentinel = TestEvents.metric(workflow, MetricType.THROUGHPUT, 1, Instant.now());
        TestKafka.send(Topics.WORKFLOW_METRICS, List.of(Map.entry(workflow, EventJson.toBytes(sentinel))));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM analytics_metrics WHERE id = '"
                + sentinel.id() + "'") == 1);
        assertEquals(51, storedCount(workflow));
    }

    @Test
    void executionEventsConvergeOnOneRowPerExecutionAndImplyTheirMetrics() throws Exception {
        String workflow = UUID.randomUUID().toString();
        Instant start = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        String completed = UUID.randomUUID().toString();
        String failed = UUID.randomUUID().toString();
        String onlyOutcome = UUID.randomUUID().toString();
        ExecutionEvent completedOutcome = TestEvents.finished(workflow, completed, start, false);
        List<ExecutionEvent> events = List.of(
                TestEvents.started(workflow, completed, start), completedOutcome, completedOutcome,
                TestEvents.started(workflow, failed, start.plusSeconds(5)),
                TestEvents.finished(workflow, failed, start.plusSeconds(5), true),
                TestEvents.finished(workflow, onlyOutcome, start.plusSeconds(9), false),
                // A late started event must not undo the outcome of its execution.
                TestEvents.started(workflow, onlyOutcome, start.plusSeconds(9)));
        try (var published = TestKafka.readFromEnd(Topics.ANALYTICS_EXECUTIONS);
             var implied = TestKafka.readFromEnd(Topics.ANALYTICS_METRICS)) {
            TestKafka.send(Topics.WORKFLOW_EXECUTIONS, events.stream()
                    .map(e -> Map.entry(workflow, EventJson.toBytes(e))).toList());
            await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM executions WHERE workflow_id = '"
                    + workflow + "' AND status <> 'running'") == 3);
            assertEquals(events.size(), published.read(r -> workflow.equals(r.key()), events.size(), WAIT).size());
            // The implied metrics reach analytics.metrics too: the duplicated outcome's twice, with the same ids.
            List<ConsumerRecord<String, byte[]>> metrics = implied.read(r -> workflow.equals(r.key()), 48, WAIT);
            assertEquals(48, metrics.size());
            Set<String> publishedIds = new java.util.HashSet<>();
            for (ConsumerRecord<String, byte[]> r : metrics) {
                publishedIds.add(EventJson.fromBytes(r.value(), AnalyticsMetric.class).id());
            }
            await().atMost(WAIT).until(() -> storedCount(workflow) == 36);
            assertEquals(Set.copyOf(TestDatabase.column("SELECT id::text FROM analytics_metrics WHERE workflow_id = '"
                    + workflow + "'")), publishedIds);
        }
        Map<String, String> status = new HashMap<>();
        TestDatabase.column("SELECT execution_id || '=' || status || '/' || user_type || '/' || jsonb_array_length(nodes)"
                        + " || '/' || total_cost::float8 FROM executions WHERE workflow_id = '" + workflow + "'")
                .forEach(row -> status.put(row.substring(0, 36), row.substring(37)));
        assertEquals(Map.of(completed, "completed/power_user/2/0.0035", failed, "failed/power_user/2/0.0035",
                onlyOutcome, "completed/power_user/2/0.0035"), status);
        // 3 finished executions × 12 implied metrics; the duplicated outcome implies the same ids again.
        await().atMost(WAIT).until(() -> storedCount(workflow) == 36);
        assertEquals(3, TestDatabase.count("SELECT count(*) FROM analytics_metrics WHERE workflow_id = '" + workflow
                + "' AND metric_type = 'execution_count' AND dimensions->>'nodeId' IS NULL"));
        assertEquals(1, TestDatabase.count("SELECT sum(value)::bigint FROM analytics_metrics WHERE workflow_id = '" + workflow
                + "' AND metric_type = 'error_rate' AND dimensions->>'nodeId' IS NULL"));
    }

    @Test
    void executionEventsArePublishedInTheOrderTheyArrivedThoughBatchesOverlap() throws Exception {
        String workflow = UUID.randomUUID().toString();
        Instant start = Instant.now().minusSeconds(900).truncatedTo(ChronoUnit.MILLIS);
        List<ExecutionEvent> events = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String execution = UUID.randomUUID().toString();
            events.add(TestEvents.started(workflow, execution, start.plusSeconds(i)));
            events.add(TestEvents.finished(workflow, execution, start.plusSeconds(i), i % 7 == 0));
        }
        try (var published = TestKafka.readFromEnd(Topics.ANALYTICS_EXECUTIONS)) {
            // Many small sends, so that the consumer takes several batches, which overlap in storing.
            for (int from = 0; from < events.size(); from += 20) {
                TestKafka.send(Topics.WORKFLOW_EXECUTIONS, events.subList(from, Math.min(events.size(), from + 20))
                        .stream().map(e -> Map.entry(workflow, EventJson.toBytes(e))).toList());
                Thread.sleep(15);
            }
            List<String> order = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : published.read(rec -> workflow.equals(rec.key()), events.size(),
                    WAIT)) {
                order.add(EventJson.fromBytes(r.value(), ExecutionEvent.class).eventId());
            }
            // One workflow's lifecycle events in the order they arrived.
            assertEquals(events.size(), order.size());
            for (int i = 0; i < events.size(); i++) {
                assertEquals(events.get(i).eventId(), order.get(i), "event " + i + " of " + events.size());
            }
        }
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM executions WHERE workflow_id = '"
                + workflow + "' AND status <> 'running'") == 150);
    }

    @Test
    void startTimesThatDifferOnlyBelowTheMicrosecondAreOneExecution() {
        // PostgreSQL keeps microseconds: two events of one execution whose startedAt differ in the nanoseconds are
        // one row. Kept apart in Java they had met twice in one upsert (SQLSTATE 21000), retried for ever.
        String workflow = UUID.randomUUID().toString();
        String execution = UUID.randomUUID().toString();
        Instant start = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_000);
        ObjectNode started = JSON.valueToTree(TestEvents.started(workflow, execution, start));
        started.put("startedAt", start.toString().replace("123456Z", "123456789Z"));
        ObjectNode finished = JSON.valueToTree(TestEvents.finished(workflow, execution, start, false));
        TestKafka.send(Topics.WORKFLOW_EXECUTIONS, List.of(
                Map.entry(workflow, started.toString().getBytes(StandardCharsets.UTF_8)),
                Map.entry(workflow, finished.toString().getBytes(StandardCharsets.UTF_8))));
        await().atMost(WAIT).until(() -> TestDatabase.count("SELECT count(*) FROM executions WHERE workflow_id = '"
                + workflow + "' AND status = 'completed'") == 1);
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM executions WHERE workflow_id = '" + workflow + "'"));
    }

    @Test
    void offsetsAreCommittedOnceTheBatchIsStored() throws Exception {
        String workflow = UUID.randomUUID().toString();
        AnalyticsMetric metric = TestEvents.metric(workflow, MetricType.COST, 2, Instant.now());
        TestKafka.send(Topics.WORKFLOW_METRICS, List.of(Map.entry(workflow, EventJson.toBytes(metric))));
        await().atMost(WAIT).until(() -> storedCount(workflow) == 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP))) {
            await().atMost(WAIT).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("metrics-ingest")
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.WORKFLOW_METRICS))
                        .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                ends.forEach((tp, end) -> assertEquals(end.offset(), committed.get(tp).offset(), tp.toString()));
            });
        }
    }

    private static long storedCount(String workflow) {
        return TestDatabase.count("SELECT count(*) FROM analytics_metrics WHERE workflow_id = '" + workflow + "'");
    }

    private static byte[] broken(String workflow, Consumer<ObjectNode> breakIt) {
        ObjectNode node = JSON.valueToTree(TestEvents.metric(workflow, MetricType.EXECUTION_TIME, 5, Instant.now()));
        breakIt.accept(node);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String fmt(double v) {
        JsonNode n = JSON.valueToTree(v);
        return v == Math.rint(v) ? Long.toString((long) v) : n.asText();
    }
}
