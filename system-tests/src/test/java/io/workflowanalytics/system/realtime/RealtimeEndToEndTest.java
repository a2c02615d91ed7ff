package io.workflowanalytics.system.realtime;

import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.StreamClients;
import io.workflowanalytics.common.testing.TestEvents;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.system.RawStore;
import io.workflowanalytics.system.ServiceProcess;
import io.workflowanalytics.system.ingest.IngestTopics;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live edge as packaged: executions produced to metrics-ingest's input topic are validated, stored, expanded
 * and published, and the realtime-gateway streams them to a WebSocket and an SSE subscriber of their workflow:
 * every lifecycle event in the order produced, and exactly the metrics ingest stored for the workflow.
 */
class RealtimeEndToEndTest {

    static final int GATEWAY_PORT = 18383;

    static IngestTopics topics;
    static ServiceProcess ingest;
    static ServiceProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        new RealInfrastructure().start();
        topics = IngestTopics.create();
        gateway = new ServiceProcess("realtime-gateway", GATEWAY_PORT, Map.of()).start();
        ingest = new ServiceProcess("metrics-ingest", 18183, topics.overrides(2000)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : new ServiceProcess[]{ingest, gateway}) {
            if (p != null) {
                p.close();
            }
        }
        if (topics != null) {
            topics.delete();
        }
    }

    @Test
    void executionsReachTheirWorkflowsSubscribersThroughIngestInOrder() {
        String workflow = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String token = TestTokens.viewerOf(workflow);
        try (var ws = StreamClients.Ws.connect(uri("ws", "/api/workflows/" + workflow + "/analytics/realtime/stream"),
                token);
             var sse = StreamClients.Sse.connect(uri("http", "/api/workflows/" + workflow + "/analytics/stream"),
                     token, null)) {
            GatewayProbe.awaitConsuming(GATEWAY_PORT, topics.executions());
            Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<ExecutionEvent> mine = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String executionId = UUID.randomUUID().toString();
                mine.add(TestEvents.started(workflow, executionId, start.plusMillis(10L * i)));
                mine.add(TestEvents.finished(workflow, executionId, start.plusMillis(10L * i), i % 4 == 0));
            }
            List<ExecutionEvent> theirs = List.of(TestEvents.started(other, UUID.randomUUID().toString(), start));
            produce(mine);
            produce(theirs);

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> RawStore.metricsOf(workflow) > 0
                            && ws.ofType("metric_update").size() == RawStore.metricsOf(workflow)
                            && sse.ofType("metric_update").size() == RawStore.metricsOf(workflow)
                            && lifecycle(ws).size() == mine.size() && lifecycle(sse).size() == mine.size());

            long stored = RawStore.metricsOf(workflow);
            assertEquals(20 * 12, stored, "what ingest derived from 20 finished executions (docs/events)");
            for (StreamClients.Client client : List.of(ws, sse)) {
                assertEquals(mine.stream().map(ExecutionEvent::eventId).toList(),
                        lifecycle(client).stream().map(r -> r.envelope().path("payload").path("eventId").asText())
                                .toList(), "lifecycle events in the order produced");
                Set<String> metricIds = new HashSet<>();
                client.ofType("metric_update").forEach(r -> metricIds.add(r.envelope().path("payload").path("id")
                        .asText()));
                assertEquals(stored, metricIds.size(), "each stored metric streamed once");
                assertEquals(RawStore.count("SELECT count(*) FROM analytics_metrics WHERE workflow_id = '" + workflow
                        + "' AND id::text IN ('" + String.join("','", metricIds) + "')"), stored);
                assertTrue(client.received.stream().allMatch(r -> r.envelope().path("workflowId").asText()
                        .equals(workflow)), "no other workflow's event");
            }
        }
    }

    private static List<StreamClients.Received> lifecycle(StreamClients.Client client) {
        return client.events(r -> r.type().startsWith("execution_"));
    }

    private static void produce(List<ExecutionEvent> events) {
        TestKafka.send(topics.executions(), events.stream()
                .map(e -> Map.entry(e.workflowId(), EventJson.toBytes(e))).toList());
    }

    private static URI uri(String scheme, String path) {
        return GatewayProbe.uri(GATEWAY_PORT, scheme, path);
    }
}
