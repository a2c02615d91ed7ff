package io.workflowanalytics.query.compare;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.assertExact;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Comparisons against independently computed values: version 2 of the generated workflow is 30% slower by
 * construction (a regression the test must find), production and staging draw from one distribution (no
 * difference), and the success-rate test's z and p equal a textbook two-proportion test on brute-force counts.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComparisonEndpointTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(20, ChronoUnit.DAYS);
    static final Dataset DATA = Dataset.generate(5, 2400, START.plus(Duration.ofMinutes(11)), Duration.ofDays(15));
    static final Map<String, String> WINDOW = Map.of("start", START.toString(), "end",
            START.plus(16, ChronoUnit.DAYS).toString());

    private boolean produced;

    @BeforeEach
    void produceOnce() {
        if (!produced) {
            produced = true;
            DATA.send();
            Views.await(DATA.workflowId, "/performance", WINDOW,
                    json -> number(json, "performanceMetrics.totalExecutions") == 2400);
        }
    }

    private JsonPath compare(String body) {
        return given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).contentType(ContentType.JSON).body(body)
                .when().post("/api/workflows/{id}/analytics/compare", DATA.workflowId).then().statusCode(200)
                .extract().jsonPath(JsonPathConfig.jsonPathConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static String window() {
        return "{\"start\": \"" + WINDOW.get("start") + "\", \"end\": \"" + WINDOW.get("end") + "\"}";
    }

    @Test
    void aSlowerVersionIsASignificantRegressionWithExactDistributions() {
        JsonPath result = compare("{\"comparisonType\": \"versions\", \"baseline\": {\"version\": \"1\"}, "
                + "\"target\": {\"version\": \"2\"}, \"metrics\": [\"execution_time\"], \"timeRange\": " + window() + "}");
        Instant from = START;
        Instant to = START.plus(16, ChronoUnit.DAYS);
        for (String[] side : new String[][] {{"baseline", "1"}, {"target", "2"}}) {
            List<AnalyticsMetric> times = DATA.select(MetricType.EXECUTION_TIME, from, to,
                    d -> !d.containsKey("nodeId") && side[1].equals(d.get("version")));
            String at = "results.metrics[0]." + side[0] + ".";
            assertEquals(times.size(), (long) number(result, at + "count"));
            assertExact(BruteForce.mean(times), number(result, at + "mean"), side[0]);
            Views.assertWithinSketchBound(BruteForce.quantile(times, 0.5), number(result, at + "p50"), side[0]);
        }
        assertEquals("significant_regression", result.getString("results.metrics[0].verdict"));
        assertEquals("significant_regression", result.getString("significance.overallVerdict"));
        assertEquals("investigate_regression", result.getString("recommendations[0].type"));
    }

    @Test
    void environmentsDrawnFromOneDistributionShowNoSignificantDifference() {
        JsonPath result = compare("{\"comparisonType\": \"environments\", \"baseline\": {\"environment\": "
                + "\"production\"}, \"target\": {\"environment\": \"staging\"}, \"timeRange\": " + window() + "}");
        for (int i = 0; i < 3; i++) {
            assertEquals("no_significant_difference", result.getString("results.metrics[" + i + "].verdict"),
                    result.getString("results.metrics[" + i + "].metric"));
        }
    }

    @Test
    void successRateTestEqualsATextbookTwoProportionTestOnBruteForceCounts() {
        JsonPath result = compare("{\"comparisonType\": \"ab_tests\", \"baseline\": {\"version\": \"1\"}, "
                + "\"target\": {\"version\": \"2\"}, \"metrics\": [\"success_rate\"], \"timeRange\": " + window() + "}");
        Instant to = START.plus(16, ChronoUnit.DAYS);
        long[] s = new long[2];
        long[] n = new long[2];
        for (int i = 0; i < 2; i++) {
            String version = String.valueOf(i + 1);
            List<AnalyticsMetric> rates = DATA.select(MetricType.SUCCESS_RATE, START, to,
                    d -> !d.containsKey("nodeId") && version.equals(d.get("version")));
            n[i] = rates.size();
            s[i] = BruteForce.sum(rates).longValue();
        }
        double p1 = (double) s[0] / n[0];
        double p2 = (double) s[1] / n[1];
        double pooled = (double) (s[0] + s[1]) / (n[0] + n[1]);
        double z = (p2 - p1) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n[0] + 1.0 / n[1]));
        double p = 2 * (1 - new NormalDistribution().cumulativeProbability(Math.abs(z)));
        assertEquals("two_proportion_z", result.getString("results.metrics[0].test.test"));
        assertEquals(z, number(result, "results.metrics[0].test.statistic"), 1e-9);
        assertEquals(p, number(result, "results.metrics[0].test.pValue"), 1e-9);
        assertEquals(s[0], (long) number(result, "results.metrics[0].baseline.successes"));
        assertEquals(n[1], (long) number(result, "results.metrics[0].target.count"));
    }

    @Test
    void tooFewExecutionsAreInsufficientDataWithAWarning() {
        Instant from = START.plus(Duration.ofMinutes(11));
        JsonPath result = compare("{\"comparisonType\": \"time_periods\", \"baseline\": {\"start\": \"" + from
                + "\", \"end\": \"" + from.plus(Duration.ofMinutes(30)) + "\"}, \"target\": {\"start\": \""
                + from.plus(Duration.ofHours(1)) + "\", \"end\": \"" + from.plus(Duration.ofMinutes(90))
                + "\"}, \"metrics\": [\"execution_time\"]}");
        assertEquals("insufficient_data", result.getString("results.metrics[0].verdict"));
        assertEquals("insufficient_data", result.getString("significance.overallVerdict"));
        assertEquals(true, !result.getList("significance.warnings").isEmpty());
    }

    @Test
    void badComparisonBodiesAreProblemsNamingTheField() {
        Map<String, String> cases = Map.of(
                "{\"comparisonType\": \"vibes\"}", "comparisonType",
                "{\"comparisonType\": \"versions\", \"baseline\": {\"version\": \"1\"}, \"target\": {}}",
                "target.version",
                "{\"comparisonType\": \"versions\", \"baseline\": {\"version\": \"1\"}, \"target\": {\"version\": "
                        + "\"2\"}, \"metrics\": [\"execution_time\", \"happiness\"]}", "metrics",
                "{\"comparisonType\": \"time_periods\", \"baseline\": {\"start\": \"2026-01-02T00:00:00Z\", "
                        + "\"end\": \"2026-01-01T00:00:00Z\"}, \"target\": {\"start\": \"2026-01-01T00:00:00Z\", "
                        + "\"end\": \"2026-01-02T00:00:00Z\"}}", "baseline.end",
                "{\"comparisonType\": \"versions\", \"baseline\": {\"version\": \"1\"}, \"target\": {\"version\": "
                        + "\"2\"}, \"timeRange\": \"forever\"}", "timeRange");
        cases.forEach((body, field) -> given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId))
                .contentType(ContentType.JSON).body(body)
                .when().post("/api/workflows/{id}/analytics/compare", DATA.workflowId).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field)));
        given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).contentType(ContentType.JSON)
                .body("{\"comparisonType\": \"versions\", \"baseline\": {\"version\": \"1\"}, \"target\": {\"version\": "
                        + "\"2\"}, \"metrics\": [\"execution_time\", \"happiness\"]}")
                .when().post("/api/workflows/{id}/analytics/compare", DATA.workflowId).then().statusCode(400)
                .body("errors[0].index", equalTo(1));
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/workflows/{id}/analytics/compare", DATA.workflowId).then().statusCode(401);
        // not JSON at all: a malformed-body problem, as a field of the wrong type is
        given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).contentType(ContentType.JSON)
                .body("{\"comparisonType\": ").when().post("/api/workflows/{id}/analytics/compare", DATA.workflowId)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/malformed-body"));
    }
}
