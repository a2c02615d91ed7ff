package io.workflowanalytics.query.dashboard;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The dashboard against brute force: overview, change on the previous period, trend points, top workflows. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardViewTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(10, ChronoUnit.DAYS);
    static final Dataset BUSY = Dataset.generate(21, 1200, START, Duration.ofDays(8));
    static final Dataset QUIET = Dataset.generate(22, 300, START, Duration.ofDays(8));
    // Ranges of 3 days 7 h 13 min; the previous period is the same length just before.
    static final Instant FROM = START.plus(Duration.ofMinutes(4 * 1440 + 7 * 60 + 13));
    static final Instant TO = FROM.plus(Duration.ofMinutes(3 * 1440 + 7 * 60 + 13));

    private boolean produced;

    @BeforeEach
    void produceOnce() {
        if (!produced) {
            produced = true;
            BUSY.send();
            QUIET.send();
            for (Dataset d : List.of(BUSY, QUIET)) {
                int expected = d == BUSY ? 1200 : 300;
                Views.await(d.workflowId, "/performance", Map.of("start", START.toString(), "end",
                        START.plus(9, ChronoUnit.DAYS).toString()),
                        json -> number(json, "performanceMetrics.totalExecutions") == expected);
            }
        }
    }

    private static JsonPath dashboard(String token, String workflowId, Map<String, String> query) {
        return given().auth().oauth2(token).queryParams(query)
                .when().get("/api/workflows/{id}/analytics/dashboard", workflowId).then().statusCode(200)
                .extract().jsonPath(JsonPathConfig.jsonPathConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    @Test
    void overviewAndItsChangeOnThePreviousPeriodEqualTheBruteForceFigures() {
        JsonPath view = dashboard(TestTokens.viewerOf(BUSY.workflowId), BUSY.workflowId,
                Map.of("start", FROM.toString(), "end", TO.toString(), "granularity", "day"));
        Instant previousFrom = FROM.minus(Duration.between(FROM, TO));
        for (String[] period : new String[][] {{"overview.", FROM.toString(), TO.toString()},
                {"overview.previous.", previousFrom.toString(), FROM.toString()}}) {
            Instant from = Instant.parse(period[1]);
            Instant to = Instant.parse(period[2]);
            List<AnalyticsMetric> counts = BUSY.select(MetricType.EXECUTION_COUNT, from, to, Dataset.workflowLevel());
            assertEquals(counts.size(), (long) number(view, period[0] + "totalExecutions"), period[0]);
            assertExact(BruteForce.mean(BUSY.select(MetricType.SUCCESS_RATE, from, to, Dataset.workflowLevel())),
                    number(view, period[0] + "successRate"), period[0]);
            assertExact(BruteForce.mean(BUSY.select(MetricType.EXECUTION_TIME, from, to, Dataset.workflowLevel())),
                    number(view, period[0] + "averageExecutionTime"), period[0]);
            assertExact(BruteForce.sum(BUSY.select(MetricType.COST, from, to, Dataset.workflowLevel())).doubleValue(),
                    number(view, period[0] + "totalCost"), period[0]);
            long users = counts.stream().map(m -> m.dimensions().get("userId")).distinct().count();
            assertEquals(users, (long) number(view, period[0] + "activeUsers"), period[0]);
        }
        double now = number(view, "overview.totalExecutions");
        double before = number(view, "overview.previous.totalExecutions");
        assertExact((now - before) / before, number(view, "overview.change.totalExecutions"), "change");
    }

    @Test
    void trendPointsAreTheDailyTotalsAndAverages() {
        JsonPath view = dashboard(TestTokens.viewerOf(BUSY.workflowId), BUSY.workflowId,
                Map.of("start", FROM.toString(), "end", TO.toString(), "granularity", "day",
                        "metrics", "execution_count,execution_time"));
        assertEquals(List.of("execution_count", "execution_time"), view.getList("trends.metric"));
        // The parameter repeated means the same list.
        assertEquals(List.of("execution_count", "execution_time"), given().auth()
                .oauth2(TestTokens.viewerOf(BUSY.workflowId)).queryParam("start", FROM.toString())
                .queryParam("end", TO.toString()).queryParam("granularity", "day")
                .queryParam("metrics", "execution_count", "execution_time")
                .when().get("/api/workflows/{id}/analytics/dashboard", BUSY.workflowId)
                .then().statusCode(200).extract().jsonPath().getList("trends.metric"));
        List<Object> days = view.getList("trends[0].points.timestamp");
        for (int i = 0; i < days.size(); i++) {
            Instant day = Instant.parse((String) days.get(i));
            Instant from = day.isBefore(FROM) ? FROM.truncatedTo(ChronoUnit.MINUTES) : day;
            Instant to = day.plus(1, ChronoUnit.DAYS).isAfter(TO) ? TO : day.plus(1, ChronoUnit.DAYS);
            assertEquals(BUSY.select(MetricType.EXECUTION_COUNT, from, to, Dataset.workflowLevel()).size(),
                    (long) number(view, "trends[0].points[" + i + "].value"), "day " + day);
            assertExact(BruteForce.mean(BUSY.select(MetricType.EXECUTION_TIME, from, to, Dataset.workflowLevel())),
                    number(view, "trends[1].points[" + i + "].value"), "day " + day);
        }
    }

    @Test
    void topWorkflowsListOnlyWhatTheCallerMaySeeRankedByExecutions() {
        Map<String, String> q = Map.of("start", START.toString(), "end", START.plus(9, ChronoUnit.DAYS).toString());
        JsonPath both = dashboard(TestTokens.viewerOf(BUSY.workflowId, QUIET.workflowId), BUSY.workflowId, q);
        assertEquals(List.of(BUSY.workflowId, QUIET.workflowId), both.getList("topWorkflows.workflowId"));
        assertEquals(300, (long) number(both, "topWorkflows[1].executions"));
        JsonPath one = dashboard(TestTokens.viewerOf(BUSY.workflowId), BUSY.workflowId, q);
        assertEquals(List.of(BUSY.workflowId), one.getList("topWorkflows.workflowId"));
        // an entry of the claim that is no workflow id matches no workflow (it was a 500)
        JsonPath odd = dashboard(TestTokens.viewerOf(BUSY.workflowId, "not-a-workflow"), BUSY.workflowId, q);
        assertEquals(List.of(BUSY.workflowId), odd.getList("topWorkflows.workflowId"));
    }

    @Test
    void callersWhoMaySeeDifferentWorkflowsNeverShareACachedDashboard() {
        String a = DashboardResource.fingerprint(java.util.Set.of(BUSY.workflowId, QUIET.workflowId));
        assertEquals(a, DashboardResource.fingerprint(java.util.Set.of(QUIET.workflowId, BUSY.workflowId)),
                "the same set, whatever its order");
        assertEquals(64, a.length(), "a SHA-256, not a 32-bit hash");
        assertNotEquals(a, DashboardResource.fingerprint(java.util.Set.of(BUSY.workflowId)));
        // "ab" + "c" and "a" + "bc" must not be the same set
        assertNotEquals(DashboardResource.fingerprint(java.util.Set.of("ab", "c")),
                DashboardResource.fingerprint(java.util.Set.of("a", "bc")));
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        given().auth().oauth2(TestTokens.viewerOf(BUSY.workflowId)).queryParam("metrics", "execution_count,vibes")
                .when().get("/api/workflows/{id}/analytics/dashboard", BUSY.workflowId).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("metrics"))
                .body("errors[0].index", equalTo(1));
        given().auth().oauth2(TestTokens.viewerOf(BUSY.workflowId)).queryParam("granularity", "minute")
                .when().get("/api/workflows/{id}/analytics/dashboard", BUSY.workflowId).then().statusCode(400)
                .body("errors[0].field", equalTo("granularity"));
    }
}
