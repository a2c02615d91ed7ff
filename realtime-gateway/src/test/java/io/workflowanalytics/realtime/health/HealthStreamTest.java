package io.workflowanalytics.realtime.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.StreamClients;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.realtime.stream.StreamHub;
import io.workflowanalytics.realtime.testing.GatewayTopics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A service's health report on analytics.health changes SystemHealth and reaches every stream as an event. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class HealthStreamTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    StreamHub hub;

    @Test
    void aComponentGoingDownAndRecoveringIsStreamedAndShownInTheStatus() {
        GatewayTopics.awaitConsumers();
        String workflow = UUID.randomUUID().toString();
        String service = "test-service-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.viewerOf(workflow);
        try (var ws = StreamClients.Ws.connect(URI.create(base.resolve("/api/workflows/" + workflow
                + "/analytics/realtime/stream").toString().replaceFirst("^http", "ws")), token)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(workflow) == 1);
            Instant t = Instant.now();
            GatewayTopics.produce(Topics.ANALYTICS_HEALTH, List.of(
                    report(service, null, HealthStatus.HEALTHY, t),             // first sight, healthy: no news
                    report(service, HealthStatus.HEALTHY, HealthStatus.HEALTHY, t.plusMillis(1)), // heartbeat
                    report(service, HealthStatus.HEALTHY, HealthStatus.DOWN, t.plusMillis(2)),
                    report(service, HealthStatus.DOWN, HealthStatus.HEALTHY, t.plusMillis(3))));

            await().atMost(Duration.ofSeconds(20)).until(() -> changesOf(ws, service).size() >= 2);
            List<JsonNode> changes = changesOf(ws, service);
            assertEquals(2, changes.size(), "exactly the two changes, not the heartbeat");
            assertEquals("down", changes.get(0).path("component").path("status").asText());
            assertEquals("healthy", changes.get(0).path("previous").asText());
            assertEquals("unhealthy", changes.get(0).path("after").path("overall").asText());
            assertEquals("healthy", changes.get(1).path("component").path("status").asText());
            assertEquals("down", changes.get(1).path("previous").asText());
            assertTrue(changes.get(1).path("after").path("mttr").asDouble() >= 0);
        }
        given().auth().oauth2(token).get("/api/workflows/{id}/analytics/realtime", workflow).then()
                .statusCode(200)
                .body("systemHealth.components.componentName", hasItem(service))
                .body("systemHealth.components.find { it.componentName == '" + service + "' }.status",
                        equalTo("healthy"));
    }

    private static List<JsonNode> changesOf(StreamClients.Client client, String service) {
        return client.ofType("system_health_changed").stream().map(r -> r.envelope().path("payload"))
                .filter(p -> p.path("component").path("componentName").asText().equals(service)).toList();
    }

    private static HealthEvent report(String service, HealthStatus previous, HealthStatus status, Instant at) {
        ComponentHealth component = new ComponentHealth(service, status, 12.5, 0.0, at,
                status == HealthStatus.HEALTHY ? 100.0 : 0.0);
        return new HealthEvent(UUID.randomUUID().toString(), 1, at, HealthEvent.TYPE, service, previous, component);
    }
}
