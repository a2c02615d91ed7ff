package io.workflowanalytics.query;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;
import io.workflowanalytics.common.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class QueryFoundationTest extends ServiceFoundationContract {

    QueryFoundationTest() {
        super("query", Set.of("performance_analyses", "usage_patterns", "error_analyses", "cost_analyses",
                        "alert_rules", "alerts", "alert_outbox"),
                "/api/workflows/{workflowId}/analytics/history/performance",
                List.of("/api/workflows/{workflowId}/analytics/history/{kind}",
                        "/api/workflows/{workflowId}/analytics/alerts/{alertId}/acknowledge",
                        "/api/workflows/{workflowId}/analytics/alert-rules/{ruleId}"));
    }

    /** Redis is only the views' cache here: its check stays UP and says "degraded" (ViewCacheHealthCheck). */
    @Override
    protected java.util.Collection<String> readinessChecks() {
        return List.of("Reactive PostgreSQL connections health check", "Kafka broker connection", "redis-cache");
    }

    @Test
    void unknownAnalysisKindIsBadRequestNamingTheParameter() {
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW))
                .when().get("/api/workflows/{workflowId}/analytics/history/{kind}", WORKFLOW, "vibes").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("kind"));
    }
}
