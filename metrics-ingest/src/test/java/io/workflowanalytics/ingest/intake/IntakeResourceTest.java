package io.workflowanalytics.ingest.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.common.testing.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class IntakeResourceTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final String METRICS = "/api/v1/ingest/metrics";

    private static String producerOf(String... workflows) {
        return TestTokens.token("engine-1", List.of("analytics-ingest"), List.of(workflows));
    }

    @Test
    void validBatchIsAcceptedAndStored() {
        String workflow = UUID.randomUUID().toString();
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 25; i++) {
            batch.add(JSON.valueToTree(TestEvents.metric(workflow, MetricType.EXECUTION_TIME, 100 + i, Instant.now())));
        }
        given().auth().oauth2(producerOf(workflow)).contentType(ContentType.JSON).body(batch.toString())
                .when().post(METRICS).then()
                .statusCode(202)
                .body("accepted", equalTo(25))
                .body("rejected", hasSize(0));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM analytics_metrics WHERE workflow_id = '" + workflow + "'") == 25);
    }

    @Test
    void executionBatchIsAcceptedAndBecomesOneExecutionRow() {
        String workflow = UUID.randomUUID().toString();
        String execution = UUID.randomUUID().toString();
        Instant start = Instant.now().minusSeconds(30);
        String body = "[" + EventJson.toString(TestEvents.started(workflow, execution, start)) + ","
                + EventJson.toString(TestEvents.finished(workflow, execution, start, true)) + "]";
        given().auth().oauth2(producerOf(workflow)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ingest/executions").then()
                .statusCode(202)
                .body("accepted", equalTo(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count("SELECT count(*) FROM executions WHERE "
                + "execution_id = '" + execution + "' AND status = 'failed' AND error_type = 'api_timeout'") == 1);
    }

    @Test
    void invalidItemsAreReportedByIndexWhileTheValidOnesAreAccepted() {
        String workflow = UUID.randomUUID().toString();
        ArrayNode batch = JSON.createArrayNode();
        batch.add(JSON.valueToTree(TestEvents.metric(workflow, MetricType.COST, 1, Instant.now())));
        ObjectNode unknownType = JSON.valueToTree(TestEvents.metric(workflow, MetricType.COST, 1, Instant.now()));
        batch.add(unknownType.put("metricType", "latency"));
        batch.add(JSON.valueToTree(TestEvents.metric(workflow, MetricType.COST, 2, Instant.now())));
        ObjectNode noValue = JSON.valueToTree(TestEvents.metric(workflow, MetricType.COST, 1, Instant.now()));
        noValue.remove("value");
        batch.add(noValue);
        given().auth().oauth2(producerOf(workflow)).contentType(ContentType.JSON).body(batch.toString())
                .when().post(METRICS).then()
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("rejected.index", contains(1, 3))
                .body("rejected.field", contains("metricType", "value"))
                .body("rejected.reason", contains("unknown_enum", "missing_field"));
    }

    @Test
    void batchWithoutAnyValidItemIsBadRequestProblem() {
        String workflow = UUID.randomUUID().toString();
        given().auth().oauth2(producerOf(workflow)).contentType(ContentType.JSON).body("[{\"workflowId\":\"x\"}, 42]")
                .when().post(METRICS).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.index", contains(0, 1));
        given().auth().oauth2(producerOf(workflow)).contentType(ContentType.JSON).body("{\"not\":\"an array\"}")
                .when().post(METRICS).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"));
    }

    @Test
    void oversizedBodyIsPayloadTooLargeProblem() {
        String workflow = UUID.randomUUID().toString();
        String huge = "[" + "\"x\",".repeat(1_500_000) + "\"x\"]";
        given().auth().oauth2(producerOf(workflow)).contentType(ContentType.JSON).body(huge)
                .when().post(METRICS).then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void intakeNeedsATokenOfTheIngestGroupForEveryItemsWorkflow() {
        String workflow = UUID.randomUUID().toString();
        String body = "[" + EventJson.toString(TestEvents.metric(workflow, MetricType.COST, 1, Instant.now())) + "]";
        given().contentType(ContentType.JSON).body(body).when().post(METRICS).then()
                .statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).when().post(METRICS).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(producerOf(UUID.randomUUID().toString())).contentType(ContentType.JSON).body(body)
                .when().post(METRICS).then()
                .statusCode(403).contentType("application/problem+json");
        assertNothingStored(workflow);
    }

    private static void assertNothingStored(String workflow) {
        org.junit.jupiter.api.Assertions.assertEquals(0, TestDatabase.count(
                "SELECT count(*) FROM analytics_metrics WHERE workflow_id = '" + workflow + "'"));
    }
}
