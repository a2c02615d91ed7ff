package io.workflowanalytics.realtime.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestEvents;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.realtime.testing.GatewayTopics;
import io.workflowanalytics.common.testing.StreamClients;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's two streams against a real broker: events produced to the analytics topics reach WebSocket and SSE
 * subscribers of their workflow, in order, in the stream envelope; nobody else's; refused handshakes; resumption with
 * Last-Event-ID; a stalled subscriber next to healthy ones.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class RealtimeStreamTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    StreamHub hub;

    @BeforeEach
    void consumersHoldTheirPartitions() {
        GatewayTopics.awaitConsumers();
    }

    @Test
    void subscribersReceiveTheirWorkflowsEventsInOrderInTheEnvelope() {
        String workflow = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        try (var ws = StreamClients.Ws.connect(wsUri(workflow), TestTokens.viewerOf(workflow));
             var sse = StreamClients.Sse.connect(sseUri(workflow), TestTokens.viewerOf(workflow), null);
             var otherWs = StreamClients.Ws.connect(wsUri(other), TestTokens.viewerOf(other))) {
            awaitSubscribers(workflow, 2);

            List<ExecutionEvent> executions = new ArrayList<>();
            Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 5; i++) {
                String executionId = UUID.randomUUID().toString();
                executions.add(TestEvents.started(workflow, executionId, start.plusSeconds(i)));
                executions.add(TestEvents.finished(workflow, executionId, start.plusSeconds(i), i == 3));
            }
            List<AnalyticsMetric> metrics = new ArrayList<>(IntStream.range(0, 4)
                    .mapToObj(i -> TestEvents.metric(workflow, MetricType.EXECUTION_TIME, 100 + i, start)).toList());
            // WebSocket frames are written from bytes encoded once for all subscribers: text beyond ASCII must arrive
            AnalyticsMetric plain = TestEvents.metric(workflow, MetricType.EXECUTION_TIME, 99, start);
            metrics.add(new AnalyticsMetric(plain.eventId(), plain.schemaVersion(), plain.occurredAt(), plain.id(),
                    workflow, plain.metricType(), plain.value(), plain.timestamp(),
                    Map.of("nodeId", "Überprüfung ✓ 🚀", "region", "São Paulo"), List.of("naïve"), plain.source(),
                    plain.aggregationLevel()));
            GatewayTopics.produce(Topics.ANALYTICS_EXECUTIONS, executions);
            GatewayTopics.produce(Topics.ANALYTICS_METRICS, metrics);
            String otherExecution = UUID.randomUUID().toString();
            GatewayTopics.produce(Topics.ANALYTICS_EXECUTIONS, List.of(TestEvents.started(other, otherExecution, start)));

            int expected = executions.size() + metrics.size();
            // The suite's health changes are broadcast to every workflow with subscribers: not counted here.
            java.util.function.Predicate<StreamClients.Received> produced =
                    r -> !r.type().equals("system_health_changed");
            await().atMost(Duration.ofSeconds(20)).until(() -> ws.events(produced).size() >= expected
                    && sse.events(produced).size() >= expected && !otherWs.events(produced).isEmpty());

            for (StreamClients.Client client : List.of(ws, sse)) {
                assertEquals(expected, client.events(produced).size(), "exactly the workflow's events");
                List<StreamClients.Received> lifecycle = client.events(r -> r.type().startsWith("execution_"));
                assertEquals(executions.stream().map(ExecutionEvent::eventId).toList(),
                        lifecycle.stream().map(r -> r.envelope().path("payload").path("eventId").asText()).toList(),
                        "execution events in the order produced");
                assertEquals(executions.stream().map(e -> e.type().wire()).toList(),
                        lifecycle.stream().map(StreamClients.Received::type).toList());
                assertEquals(metrics.stream().map(AnalyticsMetric::id).toList(),
                        client.ofType("metric_update").stream()
                                .map(r -> r.envelope().path("payload").path("id").asText()).toList());
                long previous = 0;
                for (StreamClients.Received r : client.received) {
                    JsonNode e = r.envelope();
                    assertEquals(workflow, e.path("workflowId").asText());
                    long id = Long.parseLong(e.path("id").asText());
                    assertTrue(id > previous, "ids increase per workflow");
                    previous = id;
                    assertNotNull(Instant.parse(e.path("timestamp").asText()));
                    assertNotNull(Instant.parse(e.path("receivedAt").asText()));
                }
            }
            // the timestamp is when it happened: a metric's own timestamp, an execution's occurredAt
            assertEquals(metrics.get(0).timestamp(),
                    Instant.parse(ws.ofType("metric_update").get(0).envelope().path("timestamp").asText()));
            for (StreamClients.Received r : sse.received) {
                assertEquals("analytics." + r.type(), r.sseName());
                assertEquals(r.envelope().path("id").asText(), r.sseId());
            }
            for (StreamClients.Client client : List.of(ws, sse)) {
                JsonNode payload = client.ofType("metric_update").get(4).envelope().path("payload");
                assertEquals("Überprüfung ✓ 🚀", payload.path("dimensions").path("nodeId").asText());
                assertEquals("São Paulo", payload.path("dimensions").path("region").asText());
                assertEquals("naïve", payload.path("tags").path(0).asText());
            }
            List<Subscriber> sockets = hub.subscribersOf(workflow).stream()
                    .filter(s -> s instanceof RealtimeStreamSocket.SocketSubscriber).toList();
            assertEquals(1, sockets.size());
            assertTrue(((RealtimeStreamSocket.SocketSubscriber) sockets.get(0)).direct(),
                    "WebSocket frames go to the channel directly, encoded once (SocketChannels)");
            assertEquals(1, otherWs.events(produced).size());
            assertEquals(other, otherWs.events(produced).get(0).envelope().path("workflowId").asText());
        }
    }

    @Test
    void handshakesWithoutTheWorkflowInTheTokenAreRefused() {
        String workflow = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        assertEquals(401, StreamClients.Ws.refusal(wsUri(workflow), null));
        assertEquals(401, StreamClients.Ws.refusal(wsUri(workflow), "not-a-token"));
        assertEquals(403, StreamClients.Ws.refusal(wsUri(workflow), TestTokens.viewerOf(other)));
        assertEquals(403, StreamClients.Ws.refusal(wsUri(workflow),
                TestTokens.token("engine", List.of("analytics-ingest"), List.of("*"))));
        assertEquals(400, StreamClients.Ws.refusal(base.resolve("/api/workflows/not-a-uuid/analytics/realtime/stream")
                .toString().replace("http", "ws").transform(URI::create), TestTokens.admin()));
        assertEquals(0, hub.subscribers(workflow));

        given().auth().oauth2(TestTokens.viewerOf(other)).accept("text/event-stream")
                .when().get("/api/workflows/{id}/analytics/stream", workflow).then()
                .statusCode(403).contentType("application/problem+json");
        given().accept("text/event-stream")
                .when().get("/api/workflows/{id}/analytics/stream", workflow).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aMalformedLastEventIdIsABadRequestNamingTheHeader() {
        String workflow = UUID.randomUUID().toString();
        given().auth().oauth2(TestTokens.viewerOf(workflow)).accept("text/event-stream")
                .header("Last-Event-ID", "yesterday")
                .when().get("/api/workflows/{id}/analytics/stream", workflow).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("Last-Event-ID"));
        assertEquals(0, hub.subscribers(workflow));
    }

    @Test
    void anUnreadableRecordIsSkippedAndTheNextOneStillStreamed() throws Exception {
        String workflow = UUID.randomUUID().toString();
        try (var ws = StreamClients.Ws.connect(wsUri(workflow), TestTokens.viewerOf(workflow));
             var sse = StreamClients.Sse.connect(sseUri(workflow), TestTokens.viewerOf(workflow), null)) {
            awaitSubscribers(workflow, 2);
            // Records go into the envelopes as their own bytes: anything but one JSON object must stay out.
            AnalyticsMetric trailed = TestEvents.metric(workflow, MetricType.EXECUTION_COUNT, 7, Instant.now());
            byte[] trailedJson = io.workflowanalytics.common.events.EventJson.toBytes(trailed);
            java.util.function.Function<String, byte[]> utf8 =
                    text -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            io.workflowanalytics.common.testing.TestKafka.send(Topics.ANALYTICS_METRICS, List.of(
                    Map.entry(workflow, utf8.apply("{not json")),
                    Map.entry(workflow, utf8.apply("[1,2,3]")),
                    Map.entry(workflow, utf8.apply("null")),
                    Map.entry(workflow, utf8.apply(new String(trailedJson, java.nio.charset.StandardCharsets.UTF_8)
                            + " {\"id\":\"smuggled\"}")),
                    Map.entry(workflow, utf8.apply(new String(trailedJson, java.nio.charset.StandardCharsets.UTF_8)
                            + "]"))));
            io.workflowanalytics.common.testing.TestKafka.send(Topics.ANALYTICS_EXECUTIONS, List.of(
                    Map.entry(workflow, utf8.apply("{\"type\":\"execution_started\",\"workflowId\":\"" + workflow
                            + "\"} garbage"))));
            GatewayTopics.produce(Topics.ANALYTICS_EXECUTIONS, List.of(TestEvents.started(workflow,
                    "not-a-uuid-but-a-string", Instant.now())));
            // valid JSON over several lines (an SSE data line would end at the first): streamed, on one line
            AnalyticsMetric pretty = TestEvents.metric(workflow, MetricType.EXECUTION_COUNT, 2, Instant.now());
            io.workflowanalytics.common.testing.TestKafka.send(Topics.ANALYTICS_METRICS, List.of(Map.entry(workflow,
                    io.workflowanalytics.common.events.EventJson.mapper()
                            .writerWithDefaultPrettyPrinter().writeValueAsBytes(pretty))));
            AnalyticsMetric valid = TestEvents.metric(workflow, MetricType.EXECUTION_COUNT, 1, Instant.now());
            GatewayTopics.produce(Topics.ANALYTICS_METRICS, List.of(valid));
            for (StreamClients.Client client : List.of(ws, sse)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> client.ofType("metric_update").size() == 2);
                assertEquals(List.of(pretty.id(), valid.id()), client.ofType("metric_update").stream()
                        .map(r -> r.envelope().path("payload").path("id").asText()).toList());
                assertEquals(2.0, client.ofType("metric_update").get(0).envelope().path("payload").path("value")
                        .asDouble());
                assertEquals(1, client.ofType("execution_started").size(),
                        "a well-formed record of another shape streams, one with trailing garbage does not");
                assertEquals("not-a-uuid-but-a-string", client.ofType("execution_started").get(0).envelope()
                        .path("payload").path("executionId").asText());
            }
        }
    }

    @Test
    void sseResumesWithLastEventIdWithExactlyTheMissedEvents() {
        String workflow = UUID.randomUUID().toString();
        String token = TestTokens.viewerOf(workflow);
        Instant at = Instant.now();
        try (var witness = StreamClients.Ws.connect(wsUri(workflow), token)) {
            String lastSeen;
            List<AnalyticsMetric> seen = metrics(workflow, 3, at);
            try (var first = StreamClients.Sse.connect(sseUri(workflow), token, null)) {
                awaitSubscribers(workflow, 2);
                GatewayTopics.produce(Topics.ANALYTICS_METRICS, seen);
                await().atMost(Duration.ofSeconds(20)).until(() -> first.workflowEvents().size() == 3);
                lastSeen = first.workflowEvents().get(2).sseId();
            }
            List<AnalyticsMetric> missed = metrics(workflow, 4, at);
            GatewayTopics.produce(Topics.ANALYTICS_METRICS, missed);
            await().atMost(Duration.ofSeconds(20)).until(() -> witness.workflowEvents().size() == 7);

            try (var resumed = StreamClients.Sse.connect(sseUri(workflow), token, lastSeen)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> resumed.workflowEvents().size() >= 4);
                List<AnalyticsMetric> live = metrics(workflow, 2, at);
                GatewayTopics.produce(Topics.ANALYTICS_METRICS, live);
                await().atMost(Duration.ofSeconds(20)).until(() -> resumed.workflowEvents().size() >= 6);
                List<String> expected = new ArrayList<>(missed.stream().map(AnalyticsMetric::id).toList());
                expected.addAll(live.stream().map(AnalyticsMetric::id).toList());
                assertEquals(expected, resumed.workflowEvents().stream()
                        .map(r -> r.envelope().path("payload").path("id").asText()).toList(),
                        "the missed events, then the live ones, once each");
                assertEquals(witness.workflowEvents().subList(3, 7).stream().map(r -> r.envelope().path("id").asText())
                        .toList(), resumed.workflowEvents().subList(0, 4).stream().map(StreamClients.Received::sseId).toList(),
                        "replayed with their original ids");
                assertTrue(resumed.ofType("events_skipped").isEmpty());
            }
        }
    }

    @Test
    void aClosedSseConnectionLeavesAtOnce() {
        // Not at the next keep-alive that fails to write (15 s): until then it would count against the workflow's
        // subscriber limit, and a crowd reconnecting after a proxy restart would be refused.
        String workflow = UUID.randomUUID().toString();
        String token = TestTokens.viewerOf(workflow);
        var sse = StreamClients.Sse.connect(sseUri(workflow), token, null);
        awaitSubscribers(workflow, 1);
        sse.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscribers(workflow) == 0);
    }

    @Test
    void sseResumptionFromBeyondTheWindowIsAnnouncedAsAGap() {
        String workflow = UUID.randomUUID().toString();
        String token = TestTokens.viewerOf(workflow);
        try (var witness = StreamClients.Ws.connect(wsUri(workflow), token)) {
            awaitSubscribers(workflow, 1);
            int replayWindow = 20; // %test wa.realtime.stream.replay-events
            GatewayTopics.produce(Topics.ANALYTICS_METRICS, metrics(workflow, replayWindow + 5, Instant.now()));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> witness.ofType("metric_update").size() == replayWindow + 5);
            String firstId = witness.ofType("metric_update").get(0).envelope().path("id").asText();
            try (var resumed = StreamClients.Sse.connect(sseUri(workflow), token, firstId)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> resumed.received.size() >= replayWindow + 1);
                // The window keeps the workflow's last events whatever their type: the suite's health changes are
                // broadcast to every workflow and may stand among them, so ids are compared with what the witness saw.
                List<String> seen = witness.received.stream().map(r -> r.envelope().path("id").asText()).toList();
                List<String> replayed = resumed.received.subList(1, replayWindow + 1).stream()
                        .map(StreamClients.Received::sseId).toList();
                int first = seen.indexOf(replayed.get(0));
                assertTrue(first > 0, "the replay starts after what left the window");
                JsonNode gap = resumed.received.get(0).envelope();
                assertEquals("events_skipped", gap.path("type").asText());
                assertEquals(Long.parseLong(firstId) + 1, gap.path("payload").path("fromId").asLong());
                assertEquals(Long.parseLong(seen.get(first - 1)), gap.path("payload").path("toId").asLong(),
                        "the last id that left the window");
                assertEquals(seen.subList(first, first + replayWindow), replayed, "the window, in order");
                assertTrue(replayed.contains(witness.ofType("metric_update").get(replayWindow + 4).envelope()
                        .path("id").asText()), "the window reaches the last metric produced");
            }
        }
    }

    @Test
    void aStalledSubscriberDoesNotDelayHealthyOnesAndIsDisconnected() {
        String workflow = UUID.randomUUID().toString();
        String token = TestTokens.viewerOf(workflow);
        int events = 3000;
        try (var stalled = StreamClients.Ws.connect(wsUri(workflow), token, false);
             var healthy = StreamClients.Ws.connect(wsUri(workflow), token);
             var healthySse = StreamClients.Sse.connect(sseUri(workflow), token, null)) {
            awaitSubscribers(workflow, 3);
            // ~2 KB each: 6 MB, far more than the stalled client's socket buffers hold
            String padding = "x".repeat(2000);
            List<AnalyticsMetric> metrics = IntStream.range(0, events).mapToObj(i -> {
                AnalyticsMetric m = TestEvents.metric(workflow, MetricType.EXECUTION_TIME, i, Instant.now());
                return new AnalyticsMetric(m.eventId(), m.schemaVersion(), m.occurredAt(), m.id(), m.workflowId(),
                        m.metricType(), m.value(), m.timestamp(), Map.of("nodeId", "n", "note", padding), m.tags(),
                        m.source(), m.aggregationLevel());
            }).toList();
            // paced at ~1,000 a second: a rate a healthy client keeps up with, 2 MB/s the stalled one cannot take
            Instant produced = Instant.now();
            for (int i = 0; i < events; i += 100) {
                GatewayTopics.produce(Topics.ANALYTICS_METRICS, metrics.subList(i, i + 100));
                sleep(100);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> healthy.workflowEvents().size() >= events
                    && healthySse.workflowEvents().size() >= events);
            Duration took = Duration.between(produced, healthy.workflowEvents().get(events - 1).at());
            assertEquals(events, healthy.workflowEvents().size());
            assertEquals(events, healthySse.workflowEvents().size());
            assertTrue(healthy.ofType("events_skipped").isEmpty(), "a healthy subscriber skips nothing");
            assertTrue(healthySse.ofType("events_skipped").isEmpty(), "a healthy subscriber skips nothing");
            assertTrue(took.toSeconds() < 10, "the healthy subscriber got everything " + took + " after the first was sent");

            // the stalled one holds at most its queue and writes in flight, then is closed (stall-timeout 2 s)
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.subscribers(workflow) == 2);
            assertFalse(stalled.workflowEvents().size() >= events, "the stalled client did not read everything");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitSubscribers(String workflow, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(workflow) == n);
    }

    private static List<AnalyticsMetric> metrics(String workflow, int n, Instant at) {
        return IntStream.range(0, n).mapToObj(i -> TestEvents.metric(workflow, MetricType.EXECUTION_COUNT, 1, at))
                .toList();
    }

    private URI wsUri(String workflow) {
        return URI.create(base.resolve("/api/workflows/" + workflow + "/analytics/realtime/stream").toString()
                .replaceFirst("^http", "ws"));
    }

    private URI sseUri(String workflow) {
        return base.resolve("/api/workflows/" + workflow + "/analytics/stream");
    }
}
