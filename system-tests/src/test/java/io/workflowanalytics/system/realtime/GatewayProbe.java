package io.workflowanalytics.system.realtime;

import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.testing.StreamClients;
import io.workflowanalytics.common.testing.TestEvents;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestTokens;
import org.awaitility.Awaitility;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A packaged realtime-gateway under test, seen from outside. */
final class GatewayProbe {

    private GatewayProbe() {
    }

    static URI uri(int port, String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /**
     * The gateway's consumers start from the end of the topics and ingest's from its group's position: produces
     * started events of a workflow of its own to ingest's input topic until a subscriber of it gets one, so that
     * what a test produces afterwards is seen by both.
     */
    static void awaitConsuming(int port, String executionsTopic) {
        String probe = UUID.randomUUID().toString();
        try (var ws = StreamClients.Ws.connect(uri(port, "ws", "/api/workflows/" + probe
                + "/analytics/realtime/stream"), TestTokens.viewerOf(probe))) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                var started = TestEvents.started(probe, UUID.randomUUID().toString(), Instant.now());
                TestKafka.send(executionsTopic, List.of(Map.entry(probe, EventJson.toBytes(started))));
                return !ws.received.isEmpty();
            });
        }
    }
}
