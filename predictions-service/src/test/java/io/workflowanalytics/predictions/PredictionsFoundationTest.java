package io.workflowanalytics.predictions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;

import java.util.List;
import java.util.Set;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class PredictionsFoundationTest extends ServiceFoundationContract {

    PredictionsFoundationTest() {
        super("predictions", Set.of("predictive_insights"),
                "/api/workflows/{workflowId}/analytics/predictions/history",
                List.of("/api/workflows/{workflowId}/analytics/predictions/history"));
    }
}
