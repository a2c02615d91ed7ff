package io.workflowanalytics.realtime.auth;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestEvents;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.realtime.stream.StreamHub;
import io.workflowanalytics.realtime.testing.GatewayTopics;
import io.workflowanalytics.common.testing.StreamClients;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Browsers open streams with a single-use ticket in the query string instead of a bearer header. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class StreamTicketTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    StreamHub hub;

    @Test
    void aTicketOpensOneStreamOfItsWorkflowOnce() {
        GatewayTopics.awaitConsumers();
        String workflow = UUID.randomUUID().toString();
        String ticket = issue(workflow);
        try (var ws = StreamClients.Ws.connect(wsUri(workflow, ticket), null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(workflow) == 1);
            GatewayTopics.produce(Topics.ANALYTICS_METRICS,
                    List.of(TestEvents.metric(workflow, MetricType.EXECUTION_COUNT, 1, Instant.now())));
            await().atMost(Duration.ofSeconds(20)).until(() -> ws.workflowEvents().size() == 1);
            assertEquals(401, StreamClients.Ws.refusal(wsUri(workflow, ticket), null), "a ticket is single-use");
        }
        String sseTicket = issue(workflow);
        try (var sse = StreamClients.Sse.connect(sseUri(workflow, sseTicket), null, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers(workflow) == 1);
        }
        given().when().get(sseUri(workflow, sseTicket)).then().statusCode(401);
    }

    @Test
    void aTicketIsNoCredentialForAnotherWorkflowOrAnotherEndpoint() {
        String workflow = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String ticket = issue(workflow);
        assertEquals(401, StreamClients.Ws.refusal(wsUri(other, ticket), null));
        assertEquals(401, StreamClients.Ws.refusal(wsUri(workflow, ticket), null), "spent by the failed attempt");
        given().when().get("/api/workflows/{id}/analytics/realtime?ticket={t}", workflow, issue(workflow))
                .then().statusCode(401).contentType("application/problem+json");
        assertEquals(401, StreamClients.Ws.refusal(wsUri(workflow, "forged"), null));
    }

    @Test
    void aTicketExpires() throws InterruptedException {
        String workflow = UUID.randomUUID().toString();
        String ticket = issue(workflow);
        Thread.sleep(3500); // %test wa.realtime.ticket-ttl=3s
        assertEquals(401, StreamClients.Ws.refusal(wsUri(workflow, ticket), null));
    }

    @Test
    void ticketsAreIssuedOnlyForTheCallersWorkflows() {
        String workflow = UUID.randomUUID().toString();
        given().when().post("/api/workflows/{id}/analytics/realtime/tickets", workflow).then().statusCode(401);
        given().auth().oauth2(TestTokens.viewerOf(UUID.randomUUID().toString()))
                .when().post("/api/workflows/{id}/analytics/realtime/tickets", workflow).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.viewerOf(workflow))
                .when().post("/api/workflows/{id}/analytics/realtime/tickets", workflow).then()
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("workflowId", equalTo(workflow))
                .body("websocketPath", startsWith("/api/workflows/" + workflow + "/analytics/realtime/stream?ticket="))
                .body("ssePath", startsWith("/api/workflows/" + workflow + "/analytics/stream?ticket="));
    }

    private static String issue(String workflow) {
        return given().auth().oauth2(TestTokens.viewerOf(workflow))
                .when().post("/api/workflows/{id}/analytics/realtime/tickets", workflow).then()
                .statusCode(201).extract().path("ticket");
    }

    private URI wsUri(String workflow, String ticket) {
        return URI.create(base.resolve("/api/workflows/" + workflow + "/analytics/realtime/stream?ticket=" + ticket)
                .toString().replaceFirst("^http", "ws"));
    }

    private URI sseUri(String workflow, String ticket) {
        return base.resolve("/api/workflows/" + workflow + "/analytics/stream?ticket=" + ticket);
    }
}
