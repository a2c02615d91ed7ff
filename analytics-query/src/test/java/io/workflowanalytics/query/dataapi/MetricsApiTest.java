package io.workflowanalytics.query.dataapi;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
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

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.assertExact;
import static io.workflowanalytics.query.testing.Views.assertWithinSketchBound;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The public data API: hourly points equal brute force, pages join up to the whole series, CSV matches JSON. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsApiTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(5, ChronoUnit.DAYS);
    static final Dataset DATA = Dataset.generate(31, 600, START.plus(Duration.ofMinutes(5)), Duration.ofHours(30));
    static final String FROM = START.plus(Duration.ofMinutes(90)).toString();
    static final String TO = START.plus(Duration.ofHours(26)).toString();

    private boolean produced;

    @BeforeEach
    void produceOnce() {
        if (!produced) {
            produced = true;
            DATA.send();
            Views.await(DATA.workflowId, "/performance", Map.of("start", START.toString(), "end",
                    START.plus(2, ChronoUnit.DAYS).toString()),
                    json -> number(json, "performanceMetrics.totalExecutions") == 600);
        }
    }

    private static Response get(Map<String, String> query) {
        return given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).queryParams(query)
                .when().get("/api/v1/analytics/workflows/{id}/metrics", DATA.workflowId);
    }

    @Test
    void pagesOfHourlyPointsJoinUpToTheBruteForceSeries() {
        List<Map<String, Object>> points = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> q = new HashMap<>(Map.of("metrics", "execution_time,execution_count",
                    "start_date", FROM, "end_date", TO, "granularity", "hour", "limit", "7"));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            JsonPath page = get(q).then().statusCode(200).extract().jsonPath(JsonPathConfig.jsonPathConfig()
                    .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
            points.addAll(page.getList("data"));
            cursor = page.getString("pagination.nextCursor");
            pages++;
            assertEquals("rollups", page.getString("metadata.source"));
        } while (cursor != null);
        // 24.5 hours → 25 hourly buckets per metric, in the order asked, then time.
        assertEquals(50, points.size());
        assertEquals(8, pages);
        for (Map<String, Object> p : points) {
            Instant bucket = Instant.parse((String) p.get("timestamp"));
            Instant from = bucket.isBefore(Instant.parse(FROM)) ? Instant.parse(FROM) : bucket;
            Instant to = bucket.plus(1, ChronoUnit.HOURS).isAfter(Instant.parse(TO)) ? Instant.parse(TO)
                    : bucket.plus(1, ChronoUnit.HOURS);
            MetricType type = MetricType.valueOf(((String) p.get("metric")).toUpperCase());
            List<AnalyticsMetric> raw = DATA.select(type, from, to, Dataset.workflowLevel());
            assertEquals(raw.size(), ((Number) p.get("count")).longValue(), p.toString());
            assertExact(BruteForce.mean(raw), ((Number) p.get("value")).doubleValue(), p.toString());
            assertExact(BruteForce.sum(raw).doubleValue(), ((Number) p.get("sum")).doubleValue(), p.toString());
            for (String q : List.of("p50", "p95", "p99")) {
                double rank = Double.parseDouble(q.substring(1)) / 100;
                assertWithinSketchBound(BruteForce.quantile(raw, rank), ((Number) p.get(q)).doubleValue(),
                        q + " of " + p);
            }
        }
        assertEquals("execution_time", points.get(0).get("metric"));
        assertEquals("execution_count", points.get(49).get("metric"));
    }

    @Test
    void aRepeatedJsonPageIsServedFromTheCache() {
        Map<String, String> q = Map.of("metrics", "execution_time,cost", "start_date", FROM, "end_date", TO,
                "granularity", "day", "limit", "3");
        String first = get(q).then().statusCode(200).extract().jsonPath().getString("data");
        get(q).then().statusCode(200).header("X-Cache", "HIT");
        assertEquals(first, get(q).then().statusCode(200).extract().jsonPath().getString("data"));
    }

    @Test
    void repeatedMetricsParametersMeanTheSameAsACommaSeparatedList() {
        Map<String, String> q = Map.of("start_date", FROM, "end_date", TO, "granularity", "day");
        JsonPath comma = given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).queryParams(q)
                .queryParam("metrics", "execution_time,cost")
                .when().get("/api/v1/analytics/workflows/{id}/metrics", DATA.workflowId)
                .then().statusCode(200).extract().jsonPath();
        JsonPath repeated = given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).queryParams(q)
                .queryParam("metrics", "execution_time", "cost")
                .when().get("/api/v1/analytics/workflows/{id}/metrics", DATA.workflowId)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("cost", "execution_time"), new java.util.TreeSet<>(repeated.getList("data.metric"))
                .stream().toList());
        assertEquals(comma.getList("data"), repeated.getList("data"));
        given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId)).queryParams(q)
                .queryParam("metrics", "execution_time", "nonsense")
                .when().get("/api/v1/analytics/workflows/{id}/metrics", DATA.workflowId)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("metrics"));
    }

    @Test
    void weeklyPointsStartOnMondaysAndHoldTheWholeWeek() {
        Instant from = START.minus(14, ChronoUnit.DAYS);
        Instant to = START.plus(3, ChronoUnit.DAYS);
        JsonPath page = get(Map.of("metrics", "execution_time", "start_date", from.toString(), "end_date",
                to.toString(), "granularity", "week")).then().statusCode(200).extract().jsonPath(JsonPathConfig
                .jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        List<Map<String, Object>> points = page.getList("data");
        long total = 0;
        for (Map<String, Object> p : points) {
            Instant week = Instant.parse((String) p.get("timestamp"));
            assertEquals(DayOfWeek.MONDAY, week.atZone(ZoneOffset.UTC).getDayOfWeek(), week.toString());
            Instant end = week.plus(7, ChronoUnit.DAYS);
            List<AnalyticsMetric> raw = DATA.select(MetricType.EXECUTION_TIME, week.isBefore(from) ? from : week,
                    end.isAfter(to) ? to : end, Dataset.workflowLevel());
            assertEquals(raw.size(), ((Number) p.get("count")).longValue(), p.toString());
            assertWithinSketchBound(BruteForce.quantile(raw, 0.95), ((Number) p.get("p95")).doubleValue(),
                    "p95 of " + p);
            total += raw.size();
        }
        assertEquals(DATA.select(MetricType.EXECUTION_TIME, from, to, Dataset.workflowLevel()).size(), total,
                "every execution time in some week");
    }

    @Test
    void csvCarriesTheSamePointsAsJson() {
        Map<String, String> q = Map.of("metrics", "cost", "start_date", FROM, "end_date", TO, "granularity", "day");
        String csv = get(new HashMap<>(Map.of("format", "csv", "metrics", "cost", "start_date", FROM, "end_date", TO,
                "granularity", "day"))).then().statusCode(200).contentType("text/csv").extract().asString();
        JsonPath json = get(q).then().statusCode(200).extract().jsonPath();
        String[] lines = csv.split("\n");
        assertEquals("timestamp,metric,value,count,sum,min,max,p50,p95,p99", lines[0]);
        assertEquals(json.getList("data").size(), lines.length - 1);
        assertEquals(json.getString("data[0].timestamp"), lines[1].split(",")[0]);
        assertNull(json.getString("pagination.nextCursor"));
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("metrics", "execution_time,nonsense"), "metrics",
                Map.of("granularity", "fortnight"), "granularity",
                Map.of("format", "xml"), "format",
                Map.of("limit", "0"), "limit",
                Map.of("cursor", "not-a-cursor"), "cursor",
                Map.of("end_date", "2026-01-01"), "start_date",
                Map.of("start_date", "2026-13-01"), "start_date");
        cases.forEach((q, field) -> get(q).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo(field)));
        given().when().get("/api/v1/analytics/workflows/{id}/metrics", DATA.workflowId).then().statusCode(401);
        given().auth().oauth2(TestTokens.viewerOf(java.util.UUID.randomUUID().toString()))
                .when().get("/api/v1/analytics/workflows/{id}/metrics", DATA.workflowId).then().statusCode(403);
    }
}
