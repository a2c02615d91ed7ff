package io.workflowanalytics.query.performance;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.assertExact;
import static io.workflowanalytics.query.testing.Views.assertWithinSketchBound;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The performance view against a brute-force computation over the generated raw metrics, through real Kafka,
 * PostgreSQL and Redis: counts, sums and averages exact, percentiles within the sketch's 1% bound, over ranges that
 * need minute, hour and day rollups; redelivery leaves every number unchanged.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerformanceViewTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(12, ChronoUnit.DAYS);
    static final Dataset DATA = Dataset.generate(42, 3000, START.plus(37, ChronoUnit.MINUTES), Duration.ofDays(9));

    private boolean produced;

    // Not @BeforeAll: REST Assured learns the test port only once a test method runs.
    @BeforeEach
    void produceOnce() {
        if (produced) {
            return;
        }
        produced = true;
        DATA.send();
        // Every execution's metrics are in once the total count is.
        Views.await(DATA.workflowId, "/performance", range(START, START.plus(10, ChronoUnit.DAYS)),
                json -> number(json, "performanceMetrics.totalExecutions") == 3000);
    }

    static Map<String, String> range(Instant from, Instant to) {
        return Map.of("start", from.toString(), "end", to.toString());
    }

    @Test
    void headlineFiguresEqualTheBruteForceOnesOverRangesOfEveryShape() {
        // A range with minute, hour and day parts at both ends, one inside a day, one of whole days.
        List<Instant[]> ranges = List.of(
                new Instant[] {START.plus(Duration.ofMinutes(2 * 1440 + 17 * 60 + 23)),
                        START.plus(Duration.ofMinutes(6 * 1440 + 3 * 60 + 41))},
                new Instant[] {START.plus(Duration.ofMinutes(3 * 1440 + 125)),
                        START.plus(Duration.ofMinutes(3 * 1440 + 1000))},
                new Instant[] {START, START.plus(10, ChronoUnit.DAYS)});
        for (Instant[] r : ranges) {
            JsonPath view = Views.get(DATA.workflowId, "/performance", range(r[0], r[1])).then().statusCode(200)
                    .extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                            .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL));
            List<AnalyticsMetric> times = DATA.select(MetricType.EXECUTION_TIME, r[0], r[1], Dataset.workflowLevel());
            List<AnalyticsMetric> success = DATA.select(MetricType.SUCCESS_RATE, r[0], r[1], Dataset.workflowLevel());
            String label = "range " + r[0] + " to " + r[1];
            assertEquals(times.size(), (long) number(view, "performanceMetrics.totalExecutions"), label);
            assertExact(BruteForce.mean(times), number(view, "performanceMetrics.averageExecutionTime"), label);
            assertExact(BruteForce.mean(success), number(view, "performanceMetrics.successRate"), label);
            double hours = Duration.between(r[0], r[1]).toSeconds() / 3600.0;
            assertExact(times.size() / hours, number(view, "performanceMetrics.throughput"), label);
            for (double q : new double[] {0.50, 0.95, 0.99}) {
                String field = "performanceMetrics.p" + Math.round(q * 100) + "ExecutionTime";
                assertWithinSketchBound(BruteForce.quantile(times, q), number(view, field), label + " " + field);
            }
            List<AnalyticsMetric> cpu = DATA.select(MetricType.RESOURCE_USAGE, r[0], r[1],
                    d -> "cpu".equals(d.get("resource")));
            assertExact(BruteForce.mean(cpu), number(view, "resourceUtilization.cpu.average"), label);
            assertExact(BruteForce.max(cpu), number(view, "resourceUtilization.cpu.peak"), label);
            List<AnalyticsMetric> in = DATA.select(MetricType.RESOURCE_USAGE, r[0], r[1],
                    d -> "network_in".equals(d.get("resource")));
            assertExact(BruteForce.sum(in).doubleValue(), number(view, "resourceUtilization.network.bytesIn"), label);
        }
    }

    @Test
    void perNodeFiguresAndBreakdownEqualTheBruteForceOnes() {
        Instant from = START.plus(Duration.ofHours(30));
        Instant to = START.plus(Duration.ofHours(190));
        JsonPath view = Views.get(DATA.workflowId, "/performance", range(from, to)).then().statusCode(200)
                .extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        double allNodes = 0;
        for (String[] node : Dataset.NODES) {
            allNodes += BruteForce.sum(DATA.select(MetricType.EXECUTION_TIME, from, to, Dataset.node(node[0])))
                    .doubleValue();
        }
        for (String[] node : Dataset.NODES) {
            List<AnalyticsMetric> times = DATA.select(MetricType.EXECUTION_TIME, from, to, Dataset.node(node[0]));
            List<AnalyticsMetric> errors = DATA.select(MetricType.ERROR_RATE, from, to, Dataset.node(node[0]));
            String at = "nodePerformance.find { it.nodeId == '" + node[0] + "' }.";
            assertEquals(times.size(), (long) number(view, at + "executions"), node[0]);
            assertExact(BruteForce.mean(times), number(view, at + "averageExecutionTime"), node[0]);
            assertExact(BruteForce.max(times), number(view, at + "maxExecutionTime"), node[0]);
            assertWithinSketchBound(BruteForce.quantile(times, 0.95), number(view, at + "p95ExecutionTime"), node[0]);
            assertEquals(BruteForce.sum(errors).longValue(), (long) number(view, at + "failures"), node[0]);
            assertExact(BruteForce.mean(errors), number(view, at + "errorRate"), node[0]);
            String share = "executionTimeBreakdown.find { it.nodeId == '" + node[0] + "' }.percentage";
            assertExact(BruteForce.sum(times).doubleValue() / allNodes * 100, number(view, share), node[0]);
        }
        // The fetch node (an HTTP call with a 5% tail of 2–5 s) dominates and is a slow API call.
        assertEquals("slow_api_call", view.getString("bottlenecks.find { it.nodeId == 'fetch' }.type"));
        assertTrue(view.getList("recommendations").size() >= 1);
        // Memory that varies around a level (256–512 MB at random) is no leak.
        assertEquals(List.of(), view.getList("bottlenecks.findAll { it.type == 'memory_leak' }"));
    }

    @Test
    void memoryThatGrowsSteadilyIsAMemoryLeakWithTheFiguresOfItsLine() {
        // 1,200 executions over two days, memory 6 MB higher each hour on top of the usual 256–512 MB at random.
        Instant from = START.plus(Duration.ofDays(10));
        Instant to = from.plus(Duration.ofDays(2));
        Dataset leaking = Dataset.generate(21, 1200, from, Duration.ofDays(2), 6);
        leaking.send();
        JsonPath view = Views.await(leaking.workflowId, "/performance", range(from, to),
                json -> number(json, "performanceMetrics.totalExecutions") == 1200);

        // By brute force: the memory readings' mean per hour, and the least-squares line through them.
        java.util.TreeMap<Instant, double[]> hours = new java.util.TreeMap<>();
        for (AnalyticsMetric m : leaking.select(MetricType.RESOURCE_USAGE, from, to,
                d -> "memory".equals(d.get("resource")))) {
            double[] sumAndCount = hours.computeIfAbsent(m.timestamp().truncatedTo(ChronoUnit.HOURS),
                    h -> new double[2]);
            sumAndCount[0] += m.value();
            sumAndCount[1]++;
        }
        Instant first = hours.firstKey();
        double[] x = hours.keySet().stream().mapToDouble(h -> Duration.between(first, h).toSeconds() / 3600.0)
                .toArray();
        double[] y = hours.values().stream().mapToDouble(sc -> sc[0] / sc[1]).toArray();
        MemoryLeakRuleTest.Line line = MemoryLeakRuleTest.Line.through(x, y);
        double start = line.intercept();
        double end = line.intercept() + line.slope() * x[x.length - 1];
        double growth = (end - start) / start;

        String at = "bottlenecks.find { it.type == 'memory_leak' }.";
        assertNull(view.get(at + "nodeId"), "workflow-wide");
        assertClose(line.slope(), number(view, at + "metrics.growthPerHour"), "MB an hour");
        assertClose(line.rSquare(), number(view, at + "metrics.fit"), "R²");
        assertClose(start, number(view, at + "metrics.memoryAtStart"), "start");
        assertClose(end, number(view, at + "metrics.memoryAtEnd"), "end");
        assertClose(growth, number(view, at + "metrics.growth"), "growth");
        assertEquals(hours.size(), (int) number(view, at + "metrics.points"));
        assertTrue(line.rSquare() >= PerformanceService.LEAK_MIN_FIT && growth >= 0.5 && growth < 1,
                "the data is what the test means: R² " + line.rSquare() + ", growth " + growth);
        assertEquals("high", view.getString(at + "impact"));
        assertEquals("memory_leak", view.getString("recommendations.find { it.nodeId == null }.type"));
    }

    /** The line's figures: computed in another order than the service's, so equal to rounding, not to the bit. */
    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-9, what);
    }

    @Test
    @Order(Integer.MAX_VALUE) // adds an execution to the shared dataset: last
    void redeliveredMetricsAreNotCountedTwice() {
        Map<String, String> all = range(START, START.plus(10, ChronoUnit.DAYS));
        JsonPath before = Views.get(DATA.workflowId, "/performance", Map.of("start", all.get("start"), "end",
                all.get("end"), "includeRecommendations", "false")).then().statusCode(200).extract().jsonPath();
        // The whole stream again, then one new execution's metrics behind it on the same partition.
        DATA.send();
        Dataset extra = Dataset.generate(7, 1, START.plus(Duration.ofHours(5)), Duration.ofMinutes(1));
        List<AnalyticsMetric> moved = extra.metrics.stream().map(m -> new AnalyticsMetric(m.eventId(), 1,
                m.occurredAt(), m.id(), DATA.workflowId, m.metricType(), m.value(), m.timestamp(), m.dimensions(),
                m.tags(), m.source(), m.aggregationLevel())).toList();
        DATA.send(moved, List.of());
        JsonPath after = Views.await(DATA.workflowId, "/performance", Map.of("start", all.get("start"), "end",
                all.get("end"), "includeBottlenecks", "false"),
                json -> number(json, "performanceMetrics.totalExecutions") != 3000);
        assertEquals(3001, (long) number(after, "performanceMetrics.totalExecutions"));
        List<AnalyticsMetric> times = new java.util.ArrayList<>(DATA.select(MetricType.EXECUTION_TIME, START,
                START.plus(10, ChronoUnit.DAYS), Dataset.workflowLevel()));
        times.addAll(moved.stream().filter(m -> m.metricType() == MetricType.EXECUTION_TIME
                && !m.dimensions().containsKey("nodeId")).toList());
        assertExact(BruteForce.mean(times), number(after, "performanceMetrics.averageExecutionTime"), "after replay");
        assertTrue(number(before, "performanceMetrics.totalExecutions") == 3000);
    }

    @Test
    void secondCallIsServedFromRedisAndNewDataInvalidatesIt() {
        Dataset fresh = Dataset.generate(11, 50, START.plus(Duration.ofDays(1)), Duration.ofHours(3));
        fresh.send();
        Map<String, String> q = range(START, START.plus(2, ChronoUnit.DAYS));
        Views.await(fresh.workflowId, "/performance", q,
                json -> number(json, "performanceMetrics.totalExecutions") == 50);
        Views.get(fresh.workflowId, "/performance", q).then().statusCode(200).header("X-Cache", "HIT");
        fresh.send(Dataset.generate(12, 5, START.plus(Duration.ofDays(1)), Duration.ofHours(1)).metrics.stream()
                .map(m -> new AnalyticsMetric(m.eventId(), 1, m.occurredAt(), m.id(), fresh.workflowId,
                        m.metricType(), m.value(), m.timestamp(), m.dimensions(), m.tags(), m.source(),
                        m.aggregationLevel())).toList(), List.of());
        JsonPath updated = Views.await(fresh.workflowId, "/performance", q,
                json -> number(json, "performanceMetrics.totalExecutions") == 55);
        assertEquals(55, (long) number(updated, "performanceMetrics.totalExecutions"));
    }

    @Test
    void periodComparisonCarriesBothPeriodsFiguresAndJudgesEveryMove() {
        Instant b0 = START.plus(Duration.ofMinutes(1440 + 77));
        Instant b1 = START.plus(Duration.ofMinutes(4 * 1440 + 5));
        Instant c0 = START.plus(Duration.ofMinutes(5 * 1440 + 300));
        Instant c1 = START.plus(Duration.ofMinutes(8 * 1440 + 1));
        JsonPath result = given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId))
                .queryParams(Map.of("baselineStart", b0.toString(), "baselineEnd", b1.toString(),
                        "comparisonStart", c0.toString(), "comparisonEnd", c1.toString()))
                .when().get("/api/workflows/{id}/analytics/performance/compare", DATA.workflowId).then()
                .statusCode(200).extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        double before = BruteForce.mean(DATA.select(MetricType.EXECUTION_TIME, b0, b1, Dataset.workflowLevel()));
        double after = BruteForce.mean(DATA.select(MetricType.EXECUTION_TIME, c0, c1, Dataset.workflowLevel()));
        assertExact(before, number(result, "baseline.averageExecutionTime"), "baseline");
        assertExact(after, number(result, "comparison.averageExecutionTime"), "comparison");
        double move = (after - before) / before;
        List<String> regressions = result.getList("regressions.metric");
        List<String> improvements = result.getList("improvements.metric");
        assertEquals(move > 0.05, regressions.contains("averageExecutionTime"), "move " + move);
        assertEquals(move < -0.05, improvements.contains("averageExecutionTime"), "move " + move);
        given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId))
                .queryParams(Map.of("baselineStart", b1.toString(), "baselineEnd", b0.toString(),
                        "comparisonStart", c0.toString(), "comparisonEnd", c1.toString()))
                .when().get("/api/workflows/{id}/analytics/performance/compare", DATA.workflowId).then()
                .statusCode(400).body("errors[0].field", equalTo("baselineEnd"));
    }

    @Test
    void aWorkflowWithoutDataGetsAnEmptyWellFormedView() {
        String empty = java.util.UUID.randomUUID().toString();
        Views.get(empty, "/performance", Map.of("timeRange", "7d")).then().statusCode(200)
                .body("performanceMetrics.totalExecutions", equalTo(0))
                .body("nodePerformance.size()", equalTo(0))
                .body("bottlenecks.size()", equalTo(0));
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        for (Map<String, String> bad : List.of(Map.of("timeRange", "banana"), Map.of("includeBottlenecks", "maybe"),
                Map.of("start", "yesterday"), Map.of("start", "2026-11-02T00:00:00Z", "end", "2026-11-01T00:00:00Z"))) {
            String field = bad.containsKey("includeBottlenecks") ? "includeBottlenecks"
                    : bad.containsKey("end") ? "end" : bad.keySet().iterator().next();
            Views.get(DATA.workflowId, "/performance", bad).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(field));
        }
        given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId))
                .when().get("/api/workflows/{id}/analytics/performance/compare", DATA.workflowId).then()
                .statusCode(400).body("errors[0].field", equalTo("baselineStart"));
    }
}
