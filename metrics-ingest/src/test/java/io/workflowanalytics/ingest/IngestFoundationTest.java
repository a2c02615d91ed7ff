package io.workflowanalytics.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;

import java.util.List;
import java.util.Set;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class IngestFoundationTest extends ServiceFoundationContract {

    @Override
    protected String schema() {
        return "ingest";
    }

    @Override
    protected Set<String> ownedTables() {
        return Set.of("analytics_metrics");
    }

    @Override
    protected String workflowEndpoint() {
        return "/api/workflows/{workflowId}/metrics/raw";
    }

    @Override
    protected List<String> documentedPaths() {
        return List.of("/api/workflows/{workflowId}/metrics/raw");
    }
}
