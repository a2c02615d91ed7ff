package io.workflowanalytics.sharing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.ServiceFoundationContract;

import io.workflowanalytics.common.testing.TestTokens;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.UUID;
import java.util.Set;

@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class SharingFoundationTest extends ServiceFoundationContract {

    SharingFoundationTest() {
        super("sharing", Set.of("analytics_shares"),
                "/api/workflows/{workflowId}/analytics/shares",
                List.of("/api/workflows/{workflowId}/analytics/shares"));
    }

    @Override
    protected String tokenFor(String... workflowIds) {
        return TestTokens.editorOf(workflowIds);
    }

    @Test
    void sharesAreListedWithoutTheirSecrets() throws Exception {
        // 64 hex characters, like the SHA-256 the service stores; random so that reruns do not collide.
        String tokenHash = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        sql("INSERT INTO analytics_shares (workflow_id, share_token, share_type, permissions, password_hash, access_count) "
                + "VALUES ('" + WORKFLOW + "', '" + tokenHash + "', 'public_link', "
                + "'{\"canView\":true}', '$2a$12$notarealhashbutlookslikeone', 4)");
        String body = given().auth().oauth2(TestTokens.editorOf(WORKFLOW))
                .when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(200)
                .body("[0].shareType", equalTo("public_link"))
                .body("[0].accessCount", equalTo(4))
                .body("[0].passwordProtected", equalTo(true))
                .body("[0].permissions.canView", equalTo(true))
                .extract().asString();
        assertFalse(body.contains(tokenHash), "the token hash must not be listed");
        assertFalse(body.contains("notarealhash"), "the password hash must not be listed");
    }

    @Test
    void viewersMayNotListShares() {
        given().auth().oauth2(TestTokens.viewerOf(WORKFLOW)).when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
