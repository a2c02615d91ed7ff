package io.workflowanalytics.realtime;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;

import io.workflowanalytics.common.testing.TestTokens;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Set;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class RealtimeFoundationTest extends ServiceFoundationContract {

    RealtimeFoundationTest() {
        super("realtime", Set.of("realtime_monitoring"),
                "/api/workflows/{workflowId}/analytics/realtime/snapshots",
                List.of("/api/workflows/{workflowId}/analytics/realtime/snapshots",
                        "/api/workflows/{workflowId}/analytics/realtime",
                        "/api/workflows/{workflowId}/analytics/stream",
                        "/api/workflows/{workflowId}/analytics/realtime/tickets"));
    }

    @Test
    void snapshotsAreListedNewestFirstWithinTheRange() throws Exception {
        String snapshot = "INSERT INTO realtime_monitoring (workflow_id, \"timestamp\", active_executions, "
                + "queued_executions, system_health, performance, resources) VALUES ('" + WORKFLOW + "', %s, %d, 0, "
                + "'{\"overall\":\"healthy\"}', '{\"currentThroughput\":1.5}', '{}')";
        sql(String.format(snapshot, "now() - interval '10 minutes'", 3));
        sql(String.format(snapshot, "now() - interval '1 minute'", 7));
        sql(String.format(snapshot, "now() - interval '3 hours'", 99));
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get(workflowEndpoint() + "?timeRange=1h", WORKFLOW).then()
                .statusCode(200)
                .body("activeExecutions", contains(7, 3))
                .body("[0].systemHealth.overall", equalTo("healthy"))
                .body("[0].performance.currentThroughput", equalTo(1.5f));
    }

    @Test
    void malformedTimeRangeIsBadRequestNamingTheParameter() {
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get(workflowEndpoint() + "?timeRange=yesterday", WORKFLOW).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("timeRange"));
    }
}
