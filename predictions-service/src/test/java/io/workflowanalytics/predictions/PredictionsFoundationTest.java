package io.workflowanalytics.predictions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;

import io.workflowanalytics.common.testing.TestTokens;

import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class PredictionsFoundationTest extends ServiceFoundationContract {

    PredictionsFoundationTest() {
        super("predictions", Set.of("predictive_insights"),
                "/api/workflows/{workflowId}/analytics/predictions/history",
                List.of("/api/workflows/{workflowId}/analytics/predictions/history"));
    }

    @org.junit.jupiter.api.Test
    void theHorizonFilterTakesTheValueAsCheckedAndBlankAsNoFilter() {
        for (String horizon : List.of("7d", "30d")) {
            sql("INSERT INTO predictive_insights (workflow_id, time_horizon, predictions, confidence, model_info) "
                    + "VALUES ('" + WORKFLOW + "', '" + horizon + "', '[]', 0.9, '{}')");
        }
        String token = TestTokens.viewerOf(WORKFLOW);
        given().auth().oauth2(token).queryParam("timeHorizon", "7d ").when().get(workflowEndpoint(), WORKFLOW)
                .then().statusCode(200).body("timeHorizon", everyItem(equalTo("7d"))).body("size()", greaterThan(0));
        given().auth().oauth2(token).queryParam("timeHorizon", "").when().get(workflowEndpoint(), WORKFLOW)
                .then().statusCode(200).body("timeHorizon", hasItems("7d", "30d"));
        given().auth().oauth2(token).queryParam("timeHorizon", "soon").when().get(workflowEndpoint(), WORKFLOW)
                .then().statusCode(400).contentType("application/problem+json");
    }
}
