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

    @Override
    protected String schema() {
        return "predictions";
    }

    @Override
    protected Set<String> ownedTables() {
        return Set.of("predictive_insights");
    }

    @Override
    protected String workflowEndpoint() {
        return "/api/workflows/{workflowId}/analytics/predictions/history";
    }

    @Override
    protected List<String> documentedPaths() {
        return List.of("/api/workflows/{workflowId}/analytics/predictions/history");
    }
}
