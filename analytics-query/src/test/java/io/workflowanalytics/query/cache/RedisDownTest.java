package io.workflowanalytics.query.cache;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * With Redis unreachable (a port nothing listens on) the views answer, uncached and quickly, and readiness stays UP
 * with the cache reported degraded.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestProfile(RedisDownTest.DeadRedis.class)
class RedisDownTest {

    public static class DeadRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1");
        }
    }

    @Test
    void viewsAreServedUncachedAndReadinessSaysDegraded() {
        String workflow = UUID.randomUUID().toString();
        // The first call also warms the JVM and the pools; the ones after show that nothing waits on Redis.
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(TestTokens.viewerOf(workflow)).queryParam("timeRange", "7d")
                    .when().get("/api/workflows/{id}/analytics/performance", workflow).then()
                    .statusCode(200).header("X-Cache", "MISS")
                    .body("performanceMetrics.totalExecutions", equalTo(0))
                    .time(lessThan(i == 0 ? 30_000L : 2000L));
        }
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'redis-cache' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis-cache' }.data.status", equalTo("degraded"));
    }
}
