package io.workflowanalytics.query.costs;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.assertExact;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cost view against brute-force figures from the generated raw metrics, through real Kafka, PostgreSQL and
 * Redis: totals, components and trend buckets exact over ranges with minute, hour and day parts; budgets against the
 * spend of their current period; the forecast against a synthetic linear daily cost; optimisation jobs stored and
 * read back; validation and roles.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostViewTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(12, ChronoUnit.DAYS);
    /** History of 9 days: compute and api_calls costs, CPU around 50%. */
    static final Dataset DATA = Dataset.generate(505, 3000, START.plus(37, ChronoUnit.MINUTES), Duration.ofDays(9));
    /** The last three days up to a minute ago: spend in the current day, week and month. */
    static final Dataset RECENT = Dataset.generate(506, 300, Instant.now().minus(Duration.ofDays(3)),
            Duration.ofDays(3).minusMinutes(1));

    static final Instant LINE_START = START.minus(8, ChronoUnit.DAYS);
    static final int LINE_DAYS = 14;
    /** One compute cost a day at noon, 10 + 2·day. */
    static final Dataset LINE = new Dataset();
    /** One compute cost a day with noise (none on day 6), and CPU around 25%. */
    static final Dataset NOISY = new Dataset();
    static final List<Double> NOISY_CPU = new ArrayList<>();

    static {
        Random random = new Random(9);
        for (int day = 0; day < LINE_DAYS; day++) {
            Instant noon = LINE_START.plus(Duration.ofDays(day)).plus(Duration.ofHours(12));
            LINE.metrics.add(metric(LINE, MetricType.COST, 10 + 2 * day, noon, Dimensions.COST_COMPONENT, "compute"));
            if (day != 6) {
                double cost = Math.round((30 + 1.5 * day + random.nextGaussian() * 4) * 1e6) / 1e6;
                NOISY.metrics.add(metric(NOISY, MetricType.COST, cost, noon, Dimensions.COST_COMPONENT, "compute"));
            }
            double cpu = Math.round((20 + random.nextDouble() * 10) * 1000) / 1000.0;
            NOISY_CPU.add(cpu);
            NOISY.metrics.add(metric(NOISY, MetricType.RESOURCE_USAGE, cpu, noon, "resource", "cpu"));
        }
    }

    private boolean produced;

    static AnalyticsMetric metric(Dataset d, MetricType type, double value, Instant at, String key, String dim) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put(Dimensions.EXECUTION_ID, UUID.randomUUID().toString());
        dims.put(key, dim);
        return new AnalyticsMetric(UUID.randomUUID().toString(), 1, at, UUID.randomUUID().toString(), d.workflowId,
                type, value, at, dims, List.of(), MetricSource.RUNTIME_ENGINE, AggregationLevel.RAW);
    }

    // Not @BeforeAll: REST Assured learns the test port only once a test method runs.
    @BeforeEach
    void produceOnce() {
        if (produced) {
            return;
        }
        produced = true;
        DATA.send();
        RECENT.send();
        LINE.send();
        NOISY.send();
        Views.await(DATA.workflowId, "/costs", range(START, START.plus(10, ChronoUnit.DAYS)),
                json -> number(json, "costSummary.executions") == 3000);
        Views.await(RECENT.workflowId, "/costs", Map.of("timeRange", "7d"),
                json -> number(json, "costSummary.executions") == 300);
        double line = BruteForce.sum(LINE.metrics).doubleValue();
        Views.await(LINE.workflowId, "/costs", range(LINE_START, LINE_START.plus(Duration.ofDays(LINE_DAYS))),
                json -> number(json, "costSummary.totalCost") == line);
        double noisy = BruteForce.sum(costs(NOISY, LINE_START, LINE_START.plus(Duration.ofDays(LINE_DAYS))))
                .doubleValue();
        Views.await(NOISY.workflowId, "/costs", range(LINE_START, LINE_START.plus(Duration.ofDays(LINE_DAYS))),
                json -> number(json, "costSummary.totalCost") == noisy
                        && number(json, "optimization.recommendations.size()") == 2);
    }

    static Map<String, String> range(Instant from, Instant to) {
        return Map.of("start", from.toString(), "end", to.toString());
    }

    static JsonPath view(String workflowId, Map<String, String> query) {
        return exact(Views.get(workflowId, "/costs", query).then().statusCode(200).extract().response());
    }

    static JsonPath exact(Response response) {
        return response.jsonPath(JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    static List<AnalyticsMetric> costs(Dataset d, Instant from, Instant to) {
        return d.select(MetricType.COST, from, to, Dataset.workflowLevel());
    }

    static List<AnalyticsMetric> component(List<AnalyticsMetric> costs, String component) {
        return costs.stream().filter(m -> component.equals(m.dimensions().get(Dimensions.COST_COMPONENT))).toList();
    }

    @Test
    void summaryAndBreakdownEqualTheBruteForceOnes() {
        // Minute, hour and day parts at both ends; the previous period lies within the data too.
        Instant from = START.plus(Duration.ofMinutes(4 * 1440 + 17 * 60 + 23));
        Instant to = START.plus(Duration.ofMinutes(8 * 1440 + 3 * 60 + 41));
        Instant before = from.minus(Duration.between(from, to));
        JsonPath view = view(DATA.workflowId, range(from, to));

        List<AnalyticsMetric> costs = costs(DATA, from, to);
        double total = BruteForce.sum(costs).doubleValue();
        long executions = DATA.select(MetricType.EXECUTION_COUNT, from, to, Dataset.workflowLevel()).size();
        double previous = BruteForce.sum(costs(DATA, before, from)).doubleValue();
        assertTrue(total > 0 && previous > 0);
        assertExact(total, number(view, "costSummary.totalCost"), "totalCost");
        assertEquals(executions, (long) number(view, "costSummary.executions"));
        assertExact(total / executions, number(view, "costSummary.costPerExecution"), "costPerExecution");
        assertExact(previous, number(view, "costSummary.previousPeriodCost"), "previousPeriodCost");
        assertExact((total - previous) / previous * 100, number(view, "costSummary.costChangePercent"), "change");
        assertEquals("USD", view.getString("costSummary.currency"));

        Instant mid = from.plus(Duration.between(from, to).dividedBy(2)).truncatedTo(ChronoUnit.MINUTES);
        for (String[] c : new String[][] {{"compute", "compute"}, {"api_calls", "apiCalls"}}) {
            List<AnalyticsMetric> part = component(costs, c[0]);
            double amount = BruteForce.sum(part).doubleValue();
            assertExact(amount, number(view, "costBreakdown." + c[1]), c[0]);
            String at = "costBreakdown.breakdown.find { it.category == '" + c[0] + "' }.";
            assertExact(amount, number(view, at + "amount"), c[0]);
            assertExact(amount / total * 100, number(view, at + "percentage"), c[0]);
            assertEquals(part.size(), (long) number(view, at + "quantity"), c[0]);
            assertExact(BruteForce.mean(part), number(view, at + "unitPrice"), c[0]);
            assertEquals("USD", view.getString(at + "unit"));
            double firstRate = BruteForce.sum(component(costs(DATA, from, mid), c[0])).doubleValue()
                    / Duration.between(from, mid).toMillis();
            double secondRate = BruteForce.sum(component(costs(DATA, mid, to), c[0])).doubleValue()
                    / Duration.between(mid, to).toMillis();
            double change = (secondRate - firstRate) / firstRate;
            String trend = change > 0.10 ? "increasing" : change < -0.10 ? "decreasing" : "stable";
            assertEquals(trend, view.getString(at + "trend"), c[0]);
        }
        for (String empty : List.of("storage", "network", "thirdPartyServices", "overhead")) {
            assertEquals(0, number(view, "costBreakdown." + empty), empty);
        }
        assertEquals(2, view.getList("costBreakdown.breakdown").size());

        // Savings per 30 days: caching 20% of API spend, batching 10% of the rest, scheduling 10% of compute
        // (CPU averages about 50%: no rightsizing).
        double f = (double) Duration.ofDays(30).toMillis() / Duration.between(from, to).toMillis();
        double api = BruteForce.sum(component(costs, "api_calls")).doubleValue() * f;
        double compute = BruteForce.sum(component(costs, "compute")).doubleValue() * f;
        Map<String, Double> expected = Map.of("caching", api * 0.20, "request_batching", (api - api * 0.20) * 0.10,
                "scheduling", compute * 0.10);
        assertEquals(expected.size(), view.getList("optimization.recommendations").size());
        double sum = 0;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            assertExact(e.getValue(), number(view, "optimization.recommendations.find { it.id == '" + e.getKey()
                    + "' }.estimatedSavings"), e.getKey());
            sum += e.getValue();
        }
        assertEquals(sum, number(view, "optimization.potentialSavings"), 1e-12);
        assertEquals(sum / (api + compute) * 100, number(view, "optimization.savingsPercentage"), 1e-9);
        assertEquals(List.of("caching"), view.getList("optimization.quickWins.id"));
        assertEquals(2, view.getList("optimization.longTermStrategies").size());
    }

    @Test
    void trendBucketsEqualTheBruteForceOnesByDayWeekAndMonth() {
        Instant from = START.plus(Duration.ofMinutes(1440 + 3 * 60 + 17));
        Instant to = START.plus(Duration.ofMinutes(10 * 1440 - 2 * 60 - 9));
        Map<String, Function<Instant, Instant>> widths = new LinkedHashMap<>();
        widths.put("day", t -> t.truncatedTo(ChronoUnit.DAYS));
        widths.put("week", t -> t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant());
        widths.put("month", t -> t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1)
                .toInstant());
        for (Map.Entry<String, Function<Instant, Instant>> w : widths.entrySet()) {
            Map<String, String> q = new LinkedHashMap<>(range(from, to));
            q.put("granularity", w.getKey());
            JsonPath view = view(DATA.workflowId, q);
            TreeMap<Instant, List<AnalyticsMetric>> cost = new TreeMap<>();
            TreeMap<Instant, Integer> runs = new TreeMap<>();
            costs(DATA, from, to).forEach(m -> cost.computeIfAbsent(w.getValue().apply(m.timestamp()),
                    k -> new ArrayList<>()).add(m));
            DATA.select(MetricType.EXECUTION_COUNT, from, to, Dataset.workflowLevel())
                    .forEach(m -> runs.merge(w.getValue().apply(m.timestamp()), 1, Integer::sum));
            List<Map<String, Object>> buckets = view.getList("costTrends");
            // Every bucket the range touches, in order, with zeros where nothing happened.
            Instant first = w.getValue().apply(from);
            assertEquals(first.toString(), buckets.get(0).get("period"), w.getKey());
            double all = 0;
            for (int i = 0; i < buckets.size(); i++) {
                Instant b = Instant.parse((String) buckets.get(i).get("period"));
                assertTrue(b.isBefore(to) && !b.isBefore(first), w.getKey());
                double c = BruteForce.sum(cost.getOrDefault(b, List.of())).doubleValue();
                int n = runs.getOrDefault(b, 0);
                String label = w.getKey() + " bucket " + b;
                assertExact(c, number(view, "costTrends[" + i + "].cost"), label);
                assertEquals(n, (long) number(view, "costTrends[" + i + "].executions"), label);
                assertExact(n == 0 ? 0 : c / n, number(view, "costTrends[" + i + "].costPerExecution"), label);
                all += c;
            }
            assertTrue(cost.keySet().stream().allMatch(b -> buckets.stream().anyMatch(x -> x.get("period")
                    .equals(b.toString()))), w.getKey());
            assertEquals(number(view, "costSummary.totalCost"), all, 1e-9, w.getKey());
            assertEquals(w.getKey(), view.getString("granularity"));
        }
        // Days 1 to 9 of the data, the first and last of them partly.
        assertEquals(9, view(DATA.workflowId, range(from, to)).getList("costTrends").size());
    }

    @Test
    void forecastExtendsALinearDailyCost() {
        JsonPath view = view(LINE.workflowId, range(LINE_START, LINE_START.plus(Duration.ofDays(LINE_DAYS))));
        assertEquals(LINE_DAYS, (int) number(view, "forecasting.basedOnDays"));
        assertEquals(2, number(view, "forecasting.dailyTrend"), 1e-9);
        assertEquals(30, view.getList("forecasting.points").size());
        for (int k = 0; k < 30; k++) {
            double line = 10 + 2 * (LINE_DAYS + k);
            String at = "forecasting.points[" + k + "].";
            assertEquals(LINE_START.plus(Duration.ofDays(LINE_DAYS + k)).toString(), view.getString(at + "date"));
            assertEquals(line, number(view, at + "predictedCost"), 1e-6);
            assertTrue(number(view, at + "lowerBound") <= number(view, at + "predictedCost") + 1e-9);
            assertTrue(number(view, at + "upperBound") >= number(view, at + "predictedCost") - 1e-9);
            assertEquals(line, number(view, at + "lowerBound"), 1e-6);
            assertEquals(line, number(view, at + "upperBound"), 1e-6);
        }
    }

    @Test
    void forecastOfNoisyDaysUsesTheWholeDaysOfTheRangeAndTheirPredictionInterval() {
        // Partial first and last days are left out; day 6 has no cost and counts as zero.
        Instant from = LINE_START.plus(Duration.ofHours(5));
        Instant to = LINE_START.plus(Duration.ofDays(LINE_DAYS)).plus(Duration.ofHours(3));
        JsonPath view = view(NOISY.workflowId, range(from, to));
        int n = LINE_DAYS - 1;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            Instant day = LINE_START.plus(Duration.ofDays(i + 1));
            y[i] = BruteForce.sum(costs(NOISY, day, day.plus(Duration.ofDays(1)))).doubleValue();
        }
        assertEquals(0, y[5]);
        HandRegression hand = HandRegression.of(y);
        assertEquals(n, (int) number(view, "forecasting.basedOnDays"));
        assertEquals(hand.slope(), number(view, "forecasting.dailyTrend"), 1e-9);
        for (int k = 1; k <= 30; k++) {
            double x = n - 1 + k;
            double predicted = hand.predicted(x);
            double margin = hand.margin(x);
            String at = "forecasting.points[" + (k - 1) + "].";
            assertEquals(LINE_START.plus(Duration.ofDays(LINE_DAYS + k - 1)).toString(), view.getString(at + "date"));
            assertEquals(predicted, number(view, at + "predictedCost"), 1e-9);
            assertEquals(Math.max(0, predicted - margin), number(view, at + "lowerBound"), 1e-9);
            assertEquals(predicted + margin, number(view, at + "upperBound"), 1e-9);
        }
        // CPU around 25%: rightsizing to 70% saves compute × (1 − average/70), scheduling 10% of what is left.
        double f = (double) Duration.ofDays(30).toMillis() / Duration.between(from, to).toMillis();
        double compute = BruteForce.sum(costs(NOISY, from, to)).doubleValue() * f;
        double cpu = BruteForce.mean(NOISY.select(MetricType.RESOURCE_USAGE, from, to, Dataset.workflowLevel()));
        double rightsizing = compute * (1 - cpu / 70);
        assertExact(rightsizing, number(view,
                "optimization.recommendations.find { it.id == 'resource_rightsizing' }.estimatedSavings"), "rightsize");
        assertExact((compute - rightsizing) * 0.10, number(view,
                "optimization.recommendations.find { it.id == 'scheduling' }.estimatedSavings"), "scheduling");
        assertEquals("medium", view.getString(
                "optimization.recommendations.find { it.id == 'resource_rightsizing' }.implementationEffort"));
        assertEquals(0, view.getList("optimization.quickWins").size());
    }

    @Test
    void budgetsShowTheExactSpendOfTheirCurrentPeriod() {
        String wf = RECENT.workflowId;
        Map<String, String> q = Map.of("timeRange", "7d");
        Views.get(wf, "/costs", q).then().statusCode(200).body("budgetAnalysis.budgets.size()", equalTo(0))
                .body("budgetAnalysis.status", equalTo("no_budget"));
        Views.get(wf, "/costs", q).then().statusCode(200).header("X-Cache", "HIT");
        Map<String, Double> amounts = Map.of("day", 0.5, "week", 1000.5, "month", 0.0001);
        for (Map.Entry<String, Double> b : amounts.entrySet()) {
            putBudget(wf, b.getKey(), Map.of("amount", b.getValue(), "currency", "USD")).then().statusCode(200)
                    .body("period", equalTo(b.getKey())).body("currency", equalTo("USD"))
                    .body("updatedBy", equalTo("test-editor"));
        }
        Instant asked = Instant.now();
        Response r = Views.get(wf, "/costs", q);
        Instant answered = Instant.now();
        // The budget change invalidated the cached view.
        r.then().statusCode(200).header("X-Cache", "MISS").body("budgetAnalysis.budgets.period", equalTo(
                List.of("day", "week", "month")));
        JsonPath view = exact(r);
        for (int i = 0; i < 3; i++) {
            String at = "budgetAnalysis.budgets[" + i + "].";
            String period = view.getString(at + "period");
            Instant start = Instant.parse(view.getString(at + "periodStart"));
            assertTrue(start.equals(periodStart(period, asked)) || start.equals(periodStart(period, answered)),
                    period);
            double budget = amounts.get(period);
            double spent = BruteForce.sum(costs(RECENT, start, answered.plus(Duration.ofDays(1)))).doubleValue();
            double projected = number(view, at + "projected");
            String label = period + " budget";
            assertEquals(budget, number(view, at + "budget"), 0, label);
            assertExact(spent, number(view, at + "spent"), label);
            assertExact(spent / budget, number(view, at + "utilization"), label);
            assertExact(projected / budget, number(view, at + "projectedUtilization"), label);
            assertTrue(projected >= spent, label);
            String status = spent > budget ? "over_budget" : projected >= 0.9 * budget ? "at_risk" : "on_track";
            assertEquals(status, view.getString(at + "status"), label);
        }
        // The week's budget is far above three days of spend (well under 1); the month's is below any spend, so
        // over unless the month began moments ago.
        assertEquals("on_track", view.getString("budgetAnalysis.budgets[1].status"));
        if (Duration.between(periodStart("month", asked), asked).toHours() >= 1) {
            assertEquals("over_budget", view.getString("budgetAnalysis.budgets[2].status"));
        }
        // The overall verdict is the worst of the three.
        List<String> statuses = view.getList("budgetAnalysis.budgets.status");
        assertEquals(statuses.contains("over_budget") ? "over_budget" : statuses.contains("at_risk") ? "at_risk"
                : "on_track", view.getString("budgetAnalysis.status"));

        given().auth().oauth2(TestTokens.viewerOf(wf)).get("/api/workflows/{id}/analytics/costs/budgets", wf).then()
                .statusCode(200).body("period", equalTo(List.of("day", "week", "month")))
                .body("find { it.period == 'week' }.amount", equalTo(1000.5f));
        given().auth().oauth2(TestTokens.editorOf(wf)).delete("/api/workflows/{id}/analytics/costs/budgets/day", wf)
                .then().statusCode(204);
        given().auth().oauth2(TestTokens.editorOf(wf)).delete("/api/workflows/{id}/analytics/costs/budgets/day", wf)
                .then().statusCode(404).contentType("application/problem+json");
        putBudget(wf, "month", Map.of("amount", 5000)).then().statusCode(200).body("amount", equalTo(5000.0f));
        JsonPath after = view(wf, q);
        assertEquals(List.of("week", "month"), after.getList("budgetAnalysis.budgets.period"));
        assertEquals(5000, number(after, "budgetAnalysis.budgets[1].budget"));
    }

    static Instant periodStart(String period, Instant t) {
        ZonedDateTime day = t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        return switch (period) {
            case "day" -> day.toInstant();
            case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            default -> day.withDayOfMonth(1).toInstant();
        };
    }

    static Response putBudget(String wf, String period, Object body) {
        return given().auth().oauth2(TestTokens.editorOf(wf)).contentType("application/json").body(body)
                .put("/api/workflows/{id}/analytics/costs/budgets/{period}", wf, period);
    }

    static Response optimize(String wf, String token, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .post("/api/workflows/{id}/analytics/costs/optimize", wf);
    }

    @Test
    void optimizationJobsAreStoredWithTheirPlanAndReadBackOnlyThroughTheirWorkflow() {
        String wf = RECENT.workflowId;
        JsonPath current = view(wf, Map.of("timeRange", "30d"));
        double caching = number(current, "optimization.recommendations.find { it.id == 'caching' }.estimatedSavings");
        double scheduling = number(current,
                "optimization.recommendations.find { it.id == 'scheduling' }.estimatedSavings");
        String when = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        Response created = optimize(wf, TestTokens.editorOf(wf), Map.of("optimizationIds", List.of("caching",
                "scheduling"), "scheduleTime", when));
        created.then().statusCode(202).body("status", equalTo("scheduled")).body("scheduledFor", equalTo(when))
                .body("optimizationIds", equalTo(List.of("caching", "scheduling")));
        JsonPath job = exact(created);
        String id = job.getString("optimizationJobId");
        assertNotNull(id);
        assertEquals(new BigDecimal(caching + scheduling).setScale(4, java.math.RoundingMode.HALF_UP).doubleValue(),
                number(job, "estimatedSavings"), 1e-4);
        List<Map<String, Object>> plan = job.getList("implementationPlan");
        // The caching steps, the scheduling steps, then the check of the savings.
        assertEquals(3 + 3 + 1, plan.size());
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i + 1, ((Number) plan.get(i).get("order")).intValue());
            assertNotNull(plan.get(i).get("estimatedDuration"));
            assertNotNull(plan.get(i).get("risk"));
        }
        assertEquals("identify_repeated_calls", plan.get(0).get("action"));
        assertEquals("verify_savings", plan.get(plan.size() - 1).get("action"));

        JsonPath read = exact(given().auth().oauth2(TestTokens.viewerOf(wf))
                .get("/api/workflows/{id}/analytics/costs/optimize/{job}", wf, id).then().statusCode(200).extract()
                .response());
        assertEquals(job.getMap("$"), read.getMap("$"));
        assertEquals("test-editor", read.getString("createdBy"));

        // Another workflow's caller cannot tell the job exists.
        String other = DATA.workflowId;
        given().auth().oauth2(TestTokens.viewerOf(other))
                .get("/api/workflows/{id}/analytics/costs/optimize/{job}", other, id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.viewerOf(wf))
                .get("/api/workflows/{id}/analytics/costs/optimize/{job}", wf, UUID.randomUUID()).then()
                .statusCode(404);

        optimize(wf, TestTokens.editorOf(wf), Map.of("optimizationIds", List.of("request_batching"),
                "applyImmediately", true)).then().statusCode(202).body("status", equalTo("in_progress"));
    }

    @Test
    void aWorkflowWithoutDataGetsAnEmptyWellFormedView() {
        String empty = UUID.randomUUID().toString();
        JsonPath view = view(empty, Map.of());
        assertEquals(0, number(view, "costSummary.totalCost"));
        assertEquals(0, number(view, "costSummary.costPerExecution"));
        assertEquals(0, number(view, "costSummary.costChangePercent"));
        assertEquals(0, view.getList("costBreakdown.breakdown").size());
        // 30 days ending now touch 31 UTC days.
        assertEquals(31, view.getList("costTrends").size());
        assertTrue(view.getList("costTrends.cost").stream().allMatch(c -> new BigDecimal(c.toString()).signum() == 0));
        assertEquals(0, view.getList("optimization.recommendations").size());
        assertEquals(0, number(view, "optimization.savingsPercentage"));
        assertEquals(0, view.getList("budgetAnalysis.budgets").size());
        assertEquals("no_budget", view.getString("budgetAnalysis.status"));
        assertEquals(30, view.getList("forecasting.points").size());
        assertEquals(0, number(view, "forecasting.projectedCost"));
        assertEquals("day", view.getString("granularity"));
        JsonPath without = view(empty, Map.of("includeOptimizations", "false"));
        assertNull(without.get("optimization"));
        assertEquals(0, number(without, "costSummary.totalCost"));
        given().auth().oauth2(TestTokens.viewerOf(empty)).get("/api/workflows/{id}/analytics/costs/budgets", empty)
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void badParametersAndBodiesAreProblemsNamingTheField() {
        String wf = DATA.workflowId;
        for (Map<String, String> bad : List.of(Map.of("granularity", "hour"), Map.of("includeOptimizations", "maybe"),
                Map.of("timeRange", "banana"), Map.of("start", "yesterday"))) {
            Views.get(wf, "/costs", bad).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad.keySet().iterator().next()));
        }
        putBudget(wf, "year", Map.of("amount", 10)).then().statusCode(400).body("errors[0].field", equalTo("period"));
        List<Object[]> budgets = List.of(new Object[] {Map.of("amount", -1), "amount"},
                new Object[] {Map.of("amount", 0), "amount"}, new Object[] {Map.of("amount", 1e11), "amount"},
                new Object[] {Map.of("amount", 0.00001), "amount"}, new Object[] {Map.of("amount", "lots"), "amount"},
                new Object[] {Map.of("currency", "USD"), "amount"}, new Object[] {List.of(1, 2), "body"},
                new Object[] {Map.of("amount", 10, "currency", "usd"), "currency"},
                new Object[] {Map.of("amount", 10, "currency", "EURO"), "currency"});
        for (Object[] b : budgets) {
            putBudget(wf, "week", b[0]).then().log().ifValidationFails().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(b[1]));
        }
        given().auth().oauth2(TestTokens.viewerOf(wf)).get("/api/workflows/{id}/analytics/costs/budgets", wf).then()
                .statusCode(200).body("size()", equalTo(0));

        String editor = TestTokens.editorOf(wf);
        optimize(wf, editor, Map.of("optimizationIds", List.of())).then().statusCode(400)
                .body("errors[0].field", equalTo("optimizationIds"));
        optimize(wf, editor, Map.of("optimizationIds", List.of("caching", "teleportation"))).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("optimizationIds"))
                .body("errors[0].index", equalTo(1));
        optimize(wf, editor, Map.of("optimizationIds", List.of("caching", "caching"))).then().statusCode(400)
                .body("errors[0].index", equalTo(1));
        optimize(wf, editor, Map.of("optimizationIds", List.of("caching"), "scheduleTime", "2020-01-01T00:00:00Z"))
                .then().statusCode(400).body("errors[0].field", equalTo("scheduleTime"));
        optimize(wf, editor, Map.of("optimizationIds", List.of("caching"), "scheduleTime", "soon"))
                .then().statusCode(400).body("errors[0].field", equalTo("scheduleTime"));
        given().auth().oauth2(TestTokens.viewerOf(wf)).get("/api/workflows/{id}/analytics/costs/optimize/{job}", wf,
                "not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("jobId"));
    }

    @Test
    void viewersMayReadButNotChangeBudgetsOrApplyOptimizations() {
        String wf = DATA.workflowId;
        String viewer = TestTokens.viewerOf(wf);
        given().auth().oauth2(viewer).contentType("application/json").body(Map.of("amount", 10))
                .put("/api/workflows/{id}/analytics/costs/budgets/day", wf).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(viewer).delete("/api/workflows/{id}/analytics/costs/budgets/day", wf).then()
                .statusCode(403);
        optimize(wf, viewer, Map.of("optimizationIds", List.of("caching"))).then().statusCode(403);
        given().get("/api/workflows/{id}/analytics/costs", wf).then().statusCode(401)
                .contentType("application/problem+json");
        // An editor of another workflow is refused this one.
        optimize(wf, TestTokens.editorOf(UUID.randomUUID().toString()), Map.of("optimizationIds",
                List.of("caching"))).then().statusCode(403);
        Views.get(wf, "/costs", Map.of("timeRange", "1h")).then().statusCode(200);
    }
}
