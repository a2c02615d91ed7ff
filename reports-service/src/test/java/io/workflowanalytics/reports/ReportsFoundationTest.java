package io.workflowanalytics.reports;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;

import io.workflowanalytics.common.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Set;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class ReportsFoundationTest extends ServiceFoundationContract {

    ReportsFoundationTest() {
        super("reports", Set.of("analytics_reports"),
                "/api/workflows/{workflowId}/analytics/reports",
                List.of("/api/workflows/{workflowId}/analytics/reports", "/api/analytics/reports/{reportId}/status"));
    }

    @Test
    void reportStatusIsAuthorisedThroughTheReportsWorkflow() throws Exception {
        String report = insertReport("Weekly", "completed", 100, "/var/reports/x.pdf");
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get("/api/analytics/reports/{reportId}/status", report).then()
                .statusCode(200)
                .body("status", equalTo("completed"))
                .body("progress", equalTo(100))
                .body("downloadUrl", equalTo("/api/analytics/reports/" + report + "/download"));
        // another workflow's report is answered as a missing one: neither its existence nor its workflow leaks
        given().auth().oauth2(TestTokens.viewerOf(OTHER_WORKFLOW))
                .when().get("/api/analytics/reports/{reportId}/status", report).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", not(containsString(WORKFLOW)));
        String failed = insertReport("Partial", "failed", 40, "/var/reports/partial.pdf");
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get("/api/analytics/reports/{reportId}/status", failed).then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("downloadUrl", nullValue());
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get("/api/analytics/reports/{reportId}/status", UUID.randomUUID().toString()).then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(200)
                .body("name", hasItem("Weekly"))
                .body("[0]", not(hasKey("filePath")));
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW)).queryParam("status", "failed")
                .when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(200)
                .body("name", equalTo(List.of("Partial")));
        // An unknown status is an error that names the parameter, not an empty list.
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW)).queryParam("status", "done")
                .when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("status"));
    }

    /** A report of WORKFLOW as the generator leaves it; returns its id. */
    private String insertReport(String name, String status, int progress, String filePath) {
        String id = UUID.randomUUID().toString();
        sql("INSERT INTO analytics_reports (id, workflow_id, name, configuration, status, progress, file_path) VALUES ('"
                + id + "', '" + WORKFLOW + "', '" + name + "', '{}', '" + status + "', " + progress + ", '" + filePath
                + "')");
        return id;
    }
}
