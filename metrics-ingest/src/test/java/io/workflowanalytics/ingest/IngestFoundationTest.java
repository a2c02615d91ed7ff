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

    IngestFoundationTest() {
        super("ingest", Set.of("analytics_metrics"),
                "/api/workflows/{workflowId}/metrics/raw",
                List.of("/api/workflows/{workflowId}/metrics/raw"));
    }
}
