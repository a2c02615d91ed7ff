package io.workflowanalytics.query.errors;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.NodeStatus;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.assertExact;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error view against a brute-force computation over the generated metrics and execution events, through real
 * Kafka, PostgreSQL and Redis, over ranges that need minute, hour and day rollups. The main dataset has most
 * successful executions of version 2 removed, so that version 2 stands out as a contributing factor; a sparse one
 * has failure episodes longer than the escalation threshold.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorViewTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(12, ChronoUnit.DAYS);
    static final Instant ALL_END = START.plus(10, ChronoUnit.DAYS);
    static final Dataset DATA = skewed(Dataset.generate(4040, 3000, START.plus(37, ChronoUnit.MINUTES),
            Duration.ofDays(9)));
    static final Dataset SPARSE = Dataset.generate(4041, 60, START.plus(Duration.ofMinutes(3 * 1440 + 11)),
            Duration.ofHours(44));
    static final long ESCALATION_MS = 3_600_000;

    @Inject
    Pool pool;

    private boolean produced;

    /** Drops 80% of version 2's successful executions (their events and metrics) to raise its error rate. */
    static Dataset skewed(Dataset d) {
        Random random = new Random(99);
        Set<String> dropped = new HashSet<>();
        for (ExecutionEvent e : d.executions) {
            if (e.type() == ExecutionEventType.EXECUTION_COMPLETED && "2".equals(e.workflowVersion())
                    && random.nextDouble() < 0.8) {
                dropped.add(e.executionId());
            }
        }
        d.executions.removeIf(e -> dropped.contains(e.executionId()));
        d.metrics.removeIf(m -> dropped.contains(String.valueOf(m.dimensions().get(Dimensions.EXECUTION_ID))));
        return d;
    }

    // Not @BeforeAll: REST Assured learns the test port only once a test method runs.
    @BeforeEach
    void produceOnce() {
        if (produced) {
            return;
        }
        produced = true;
        DATA.send();
        SPARSE.send();
        // The views are first asked for once every outcome and metric is stored, so no test sees a partial answer.
        for (Dataset d : List.of(DATA, SPARSE)) {
            Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                    .until(() -> outcomes(d.workflowId) == d.executions.size()
                            && rolledUp(d.workflowId) == d.metrics.size());
        }
    }

    private long outcomes(String workflowId) {
        return single("SELECT count(*) FROM execution_outcomes WHERE workflow_id = $1", workflowId);
    }

    /** Metrics in the minute rollups: each counts once, under the whole workflow or under its node. */
    private long rolledUp(String workflowId) {
        return single("SELECT coalesce(sum(count), 0)::int8 FROM metric_rollups WHERE workflow_id = $1 "
                + "AND level = 'minute' AND dim_key IN ('', 'nodeId')", workflowId);
    }

    private long single(String sql, String workflowId) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(workflowId))).await().indefinitely()
                .iterator().next().getLong(0);
    }

    static Map<String, String> range(Instant from, Instant to) {
        return Map.of("start", from.toString(), "end", to.toString());
    }

    static JsonPath view(String workflowId, Map<String, String> query) {
        return Views.get(workflowId, "/errors", query).then().statusCode(200).extract().jsonPath(
                JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    // ---- brute force -------------------------------------------------------------------------------------------

    /** The error type of a metric, or null. */
    static String errorType(AnalyticsMetric m) {
        Object t = m.dimensions().get(Dimensions.ERROR_TYPE);
        return t == null ? null : t.toString();
    }

    static long failures(List<AnalyticsMetric> errorRates) {
        return errorRates.stream().filter(m -> m.value() == 1).count();
    }

    static double ratio(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }

    /** Failures per error type, workflow level. */
    static Map<String, Long> byType(Dataset d, Instant from, Instant to) {
        Map<String, Long> out = new TreeMap<>();
        for (AnalyticsMetric m : d.select(MetricType.ERROR_RATE, from, to, Dataset.workflowLevel())) {
            if (m.value() == 1 && errorType(m) != null) {
                out.merge(errorType(m), 1L, Long::sum);
            }
        }
        return out;
    }

    /** Node-level error_rate metrics in range. */
    static List<AnalyticsMetric> nodeErrorRates(Dataset d, Instant from, Instant to) {
        return d.select(MetricType.ERROR_RATE, from, to, dims -> dims.containsKey(Dimensions.NODE_ID));
    }

    /** The documented rule, written out again. */
    static String severity(String type, long count, long executions) {
        int base = switch (type) {
            case "authentication_error", "resource_exhaustion", "configuration_error" -> 2;
            case "validation_error", "data_processing_error" -> 0;
            default -> 1;
        };
        double share = ratio(count, executions);
        int level = Math.min(3, base + (share >= 0.10 ? 2 : share >= 0.02 ? 1 : 0));
        return List.of("low", "medium", "high", "critical").get(level);
    }

    static List<ExecutionEvent> finishedIn(Dataset d, Instant from, Instant to) {
        List<ExecutionEvent> out = new ArrayList<>();
        for (ExecutionEvent e : d.executions) {
            if (!e.finishedAt().isBefore(from) && e.finishedAt().isBefore(to)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(ExecutionEvent::finishedAt).thenComparing(ExecutionEvent::executionId));
        return out;
    }

    static String failedNode(ExecutionEvent e) {
        return e.nodes().stream().filter(n -> n.status() == NodeStatus.FAILED).map(ExecutionEvent.NodeExecution::nodeId)
                .findFirst().orElse(null);
    }

    static boolean failed(ExecutionEvent e) {
        return e.type() == ExecutionEventType.EXECUTION_FAILED;
    }

    /** Newest first, ties by execution id. */
    static List<ExecutionEvent> newestFailures(Dataset d, Instant from, Instant to) {
        List<ExecutionEvent> out = new ArrayList<>(finishedIn(d, from, to).stream().filter(ErrorViewTest::failed)
                .toList());
        out.sort(Comparator.comparing(ExecutionEvent::finishedAt).reversed()
                .thenComparing(ExecutionEvent::executionId));
        return out;
    }

    static List<Instant> buckets(Instant from, Instant to) {
        ChronoUnit unit = Duration.between(from, to).compareTo(Duration.ofDays(2)) > 0 ? ChronoUnit.DAYS
                : ChronoUnit.HOURS;
        List<Instant> out = new ArrayList<>();
        for (Instant b = from.truncatedTo(unit); b.isBefore(to); b = b.plus(1, unit)) {
            out.add(b);
        }
        return out;
    }

    static Instant bucketOf(Instant t, Instant from, Instant to) {
        ChronoUnit unit = Duration.between(from, to).compareTo(Duration.ofDays(2)) > 0 ? ChronoUnit.DAYS
                : ChronoUnit.HOURS;
        return t.truncatedTo(unit);
    }

    // ---- tests -------------------------------------------------------------------------------------------------

    List<Instant[]> ranges() {
        return List.of(
                new Instant[] {START.plus(Duration.ofMinutes(2 * 1440 + 17 * 60 + 23)),
                        START.plus(Duration.ofMinutes(6 * 1440 + 3 * 60 + 41))},
                new Instant[] {START.plus(Duration.ofMinutes(3 * 1440 + 125)),
                        START.plus(Duration.ofMinutes(3 * 1440 + 1000))},
                new Instant[] {START, ALL_END});
    }

    @Test
    void summaryAndCategoriesEqualTheBruteForceOnesOverRangesOfEveryShape() {
        for (Instant[] r : ranges()) {
            String label = "range " + r[0] + " to " + r[1];
            JsonPath view = view(DATA.workflowId, range(r[0], r[1]));
            List<AnalyticsMetric> rates = DATA.select(MetricType.ERROR_RATE, r[0], r[1], Dataset.workflowLevel());
            long executions = rates.size();
            long errors = failures(rates);
            Instant previousStart = r[0].minus(Duration.between(r[0], r[1]));
            List<AnalyticsMetric> previous = DATA.select(MetricType.ERROR_RATE, previousStart, r[0],
                    Dataset.workflowLevel());
            double rate = ratio(errors, executions);
            double previousRate = ratio(failures(previous), previous.size());
            assertEquals(executions, (long) number(view, "errorSummary.totalExecutions"), label);
            assertEquals(errors, (long) number(view, "errorSummary.totalErrors"), label);
            assertExact(rate, number(view, "errorSummary.errorRate"), label);
            assertExact(previousRate, number(view, "errorSummary.previousErrorRate"), label);
            assertExact(rate - previousRate, number(view, "errorSummary.errorRateChange"), label);

            Map<String, Long> types = byType(DATA, r[0], r[1]);
            String mostCommon = types.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue()
                    .reversed().thenComparing(Map.Entry::getKey)).map(Map.Entry::getKey).findFirst().orElseThrow();
            assertEquals(mostCommon, view.getString("errorSummary.mostCommonErrorType"), label);
            assertEquals(types.size(), view.getList("errorCategories").size(), label);

            Map<String, Set<String>> impacted = new TreeMap<>();
            for (AnalyticsMetric m : nodeErrorRates(DATA, r[0], r[1])) {
                if (m.value() == 1) {
                    impacted.computeIfAbsent(errorType(m), k -> new TreeSet<>())
                            .add(m.dimensions().get(Dimensions.NODE_ID).toString());
                }
            }
            Set<String> affected = new TreeSet<>();
            impacted.values().forEach(affected::addAll);
            assertEquals(affected.size(), (long) number(view, "errorSummary.affectedNodes"), label);

            for (Map.Entry<String, Long> t : types.entrySet()) {
                String at = "errorCategories.find { it.type == '" + t.getKey() + "' }.";
                assertEquals(t.getValue(), (long) number(view, at + "count"), label + " " + t.getKey());
                assertExact(100 * ratio(t.getValue(), errors), number(view, at + "percentage"),
                        label + " " + t.getKey());
                assertEquals(severity(t.getKey(), t.getValue(), executions), view.getString(at + "severity"),
                        label + " " + t.getKey());
                assertEquals(new ArrayList<>(impacted.get(t.getKey())), view.getList(at + "impactedNodes"),
                        label + " " + t.getKey());
            }
        }
    }

    @Test
    void categoriesCarryTheirNewestExamples() {
        JsonPath view = view(DATA.workflowId, range(START, ALL_END));
        Map<String, List<ExecutionEvent>> newest = new LinkedHashMap<>();
        for (ExecutionEvent e : newestFailures(DATA, START, ALL_END)) {
            List<ExecutionEvent> list = newest.computeIfAbsent(e.errorType().wire(), k -> new ArrayList<>());
            if (list.size() < 3) {
                list.add(e);
            }
        }
        assertFalse(newest.isEmpty());
        newest.forEach((type, expected) -> {
            String at = "errorCategories.find { it.type == '" + type + "' }.examples";
            List<Map<String, Object>> examples = view.getList(at);
            assertEquals(expected.size(), examples.size(), type);
            for (int i = 0; i < expected.size(); i++) {
                ExecutionEvent e = expected.get(i);
                Map<String, Object> x = examples.get(i);
                assertEquals(e.executionId(), x.get("executionId"), type);
                assertEquals(e.finishedAt(), Instant.parse((String) x.get("timestamp")), type);
                assertEquals(e.errorMessage(), x.get("errorMessage"), type);
                assertEquals(failedNode(e), x.get("nodeId"), type);
                assertEquals(e.workflowVersion(), x.get("version"), type);
                assertEquals(e.environment(), x.get("environment"), type);
            }
        });
    }

    @Test
    void trendsCountEveryBucketAtHourAndDayWidth() {
        for (Instant[] r : ranges()) {
            String label = "range " + r[0] + " to " + r[1];
            JsonPath view = view(DATA.workflowId, range(r[0], r[1]));
            List<Instant> buckets = buckets(r[0], r[1]);
            Map<Instant, long[]> whole = new HashMap<>();
            Map<String, Map<Instant, Long>> perType = new TreeMap<>();
            for (AnalyticsMetric m : DATA.select(MetricType.ERROR_RATE, r[0], r[1], Dataset.workflowLevel())) {
                Instant b = bucketOf(m.timestamp(), r[0], r[1]);
                long[] c = whole.computeIfAbsent(b, k -> new long[2]);
                c[0] += m.value() == 1 ? 1 : 0;
                c[1]++;
                if (m.value() == 1) {
                    perType.computeIfAbsent(errorType(m), k -> new HashMap<>()).merge(b, 1L, Long::sum);
                }
            }
            assertEquals(buckets.size(), view.getList("errorTrends").size(), label);
            for (int i = 0; i < buckets.size(); i++) {
                long[] c = whole.getOrDefault(buckets.get(i), new long[2]);
                String at = "errorTrends[" + i + "].";
                assertEquals(buckets.get(i), Instant.parse(view.getString(at + "timestamp")), label);
                assertEquals(c[0], (long) number(view, at + "errors"), label + " " + buckets.get(i));
                assertEquals(c[1], (long) number(view, at + "executions"), label + " " + buckets.get(i));
                assertExact(ratio(c[0], c[1]), number(view, at + "errorRate"), label + " " + buckets.get(i));
            }
            perType.forEach((type, counts) -> {
                String at = "errorCategories.find { it.type == '" + type + "' }.trends.";
                assertEquals(buckets.size(), view.getList(at + "points").size(), label);
                long[] series = new long[buckets.size()];
                for (int i = 0; i < buckets.size(); i++) {
                    series[i] = counts.getOrDefault(buckets.get(i), 0L);
                    assertEquals(series[i], (long) number(view, at + "points[" + i + "].count"),
                            label + " " + type + " " + buckets.get(i));
                }
                int half = series.length / 2;
                long first = 0;
                long second = 0;
                for (int i = 0; i < half; i++) {
                    first += series[i];
                    second += series[series.length - 1 - i];
                }
                String direction = second > first * 1.1 ? "increasing" : second < first * 0.9 ? "decreasing"
                        : "stable";
                assertEquals(direction, view.getString(at + "direction"), label + " " + type);
                assertEquals(Duration.between(r[0], r[1]).compareTo(Duration.ofDays(2)) > 0 ? "day" : "hour",
                        view.getString(at + "granularity"), label);
            });
        }
    }

    @Test
    void resolutionMetricsFollowFailureEpisodes() {
        List<Object[]> cases = new ArrayList<>(List.of(new Object[] {DATA, START, ALL_END},
                new Object[] {DATA, ranges().get(0)[0], ranges().get(0)[1]},
                new Object[] {SPARSE, START, ALL_END},
                new Object[] {SPARSE, START.plus(Duration.ofMinutes(3 * 1440 + 611)),
                        START.plus(Duration.ofMinutes(4 * 1440 + 977))}));
        // A range that ends in the minute of a failure with nothing after it: an episode still open at its end.
        List<ExecutionEvent> sparse = finishedIn(SPARSE, START, ALL_END);
        for (int i = 0; i < sparse.size() - 1; i++) {
            Instant end = sparse.get(i).finishedAt().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
            if (failed(sparse.get(i)) && !sparse.get(i + 1).finishedAt().isBefore(end)) {
                cases.add(new Object[] {SPARSE, START, end});
                break;
            }
        }
        assertEquals(5, cases.size(), "the sparse dataset should have a failure with a gap after it");
        boolean sawEscalation = false;
        boolean sawUnresolved = false;
        for (Object[] c : cases) {
            Dataset d = (Dataset) c[0];
            Instant from = (Instant) c[1];
            Instant to = (Instant) c[2];
            String label = (d == DATA ? "main" : "sparse") + " " + from + " to " + to;
            List<ExecutionEvent> in = finishedIn(d, from, to);
            long episodes = 0;
            long resolved = 0;
            long escalated = 0;
            long resolutionMs = 0;
            for (int i = 0; i < in.size(); i++) {
                if (!failed(in.get(i)) || (i > 0 && failed(in.get(i - 1)))) {
                    continue;
                }
                episodes++;
                Instant began = in.get(i).finishedAt();
                Instant ended = null;
                for (int j = i + 1; j < in.size() && ended == null; j++) {
                    if (!failed(in.get(j))) {
                        ended = in.get(j).finishedAt();
                    }
                }
                long open = Duration.between(began, ended == null ? to : ended).toMillis();
                if (ended != null) {
                    resolved++;
                    resolutionMs += open;
                }
                if (open > ESCALATION_MS) {
                    escalated++;
                }
            }
            sawEscalation |= escalated > 0;
            sawUnresolved |= resolved < episodes;
            JsonPath view = view(d.workflowId, range(from, to));
            assertEquals(episodes, (long) number(view, "resolutionMetrics.totalEpisodes"), label);
            assertEquals(resolved, (long) number(view, "resolutionMetrics.resolvedEpisodes"), label);
            assertEquals(episodes - resolved, (long) number(view, "resolutionMetrics.unresolvedEpisodes"), label);
            assertExact(ratio(resolutionMs, resolved), number(view, "resolutionMetrics.averageTimeToResolution"),
                    label);
            assertExact(ratio(resolved, episodes), number(view, "resolutionMetrics.automaticRecoveryRate"), label);
            assertExact(episodes == 0 ? 0 : 1 - ratio(resolved, episodes),
                    number(view, "resolutionMetrics.manualInterventionRate"), label);
            assertExact(ratio(escalated, episodes), number(view, "resolutionMetrics.escalationRate"), label);
            String method = "resolutionMetrics.resolutionMethods.find { it.method == '%s' }.";
            if (resolved > 0) {
                String at = String.format(method, "automatic_retry_success");
                assertEquals(resolved, (long) number(view, at + "count"), label);
                assertExact(100 * ratio(resolved, episodes), number(view, at + "percentage"), label);
            }
            if (resolved < episodes) {
                String at = String.format(method, "unresolved");
                assertEquals(episodes - resolved, (long) number(view, at + "count"), label);
                assertExact(100 * ratio(episodes - resolved, episodes), number(view, at + "percentage"), label);
            }
        }
        assertTrue(sawEscalation, "the sparse dataset should have an episode open longer than an hour");
        assertTrue(sawUnresolved, "the last case ends inside an episode");
    }

    @Test
    void recentCriticalErrorsAreTheNewestSeriousFailures() {
        for (Instant[] r : ranges()) {
            String label = "range " + r[0] + " to " + r[1];
            JsonPath view = view(DATA.workflowId, range(r[0], r[1]));
            long executions = DATA.select(MetricType.ERROR_RATE, r[0], r[1], Dataset.workflowLevel()).size();
            Map<String, Long> types = byType(DATA, r[0], r[1]);
            List<ExecutionEvent> expected = newestFailures(DATA, r[0], r[1]).stream().filter(e -> {
                String s = severity(e.errorType().wire(), types.get(e.errorType().wire()), executions);
                return s.equals("high") || s.equals("critical");
            }).limit(20).toList();
            List<Map<String, Object>> actual = view.getList("recentCriticalErrors");
            assertEquals(expected.size(), actual.size(), label);
            for (int i = 0; i < expected.size(); i++) {
                ExecutionEvent e = expected.get(i);
                String type = e.errorType().wire();
                assertEquals(e.executionId(), actual.get(i).get("executionId"), label + " #" + i);
                assertEquals(e.finishedAt(), Instant.parse((String) actual.get(i).get("timestamp")), label);
                assertEquals(type, actual.get(i).get("errorType"), label);
                assertEquals(e.errorMessage(), actual.get(i).get("message"), label);
                assertEquals(failedNode(e), actual.get(i).get("nodeId"), label);
                assertEquals(severity(type, types.get(type), executions), actual.get(i).get("severity"), label);
            }
        }
        // The generated failure shares make api_timeout and network_error high over the whole range.
        assertEquals(20, view(DATA.workflowId, range(START, ALL_END)).getList("recentCriticalErrors").size());
    }

    @Test
    void severityFilterKeepsOnlyThoseCategoriesAndCriticalErrors() {
        Map<String, String> all = range(START, ALL_END);
        JsonPath full = view(DATA.workflowId, all);
        List<String> severities = full.getList("errorCategories.severity");
        for (String wanted : List.of("high", "medium", "low,critical", "high, medium")) {
            Set<String> keep = new HashSet<>();
            for (String s : wanted.split(",")) {
                keep.add(s.trim());
            }
            Map<String, String> q = new HashMap<>(all);
            q.put("severity", wanted);
            JsonPath filtered = view(DATA.workflowId, q);
            List<String> got = filtered.getList("errorCategories.severity");
            assertEquals(severities.stream().filter(keep::contains).count(), got.size(), wanted);
            assertTrue(keep.containsAll(got), wanted);
            for (Object s : filtered.getList("recentCriticalErrors.severity")) {
                assertTrue(keep.contains(s), wanted);
            }
            if (!keep.contains("high") && !keep.contains("critical")) {
                assertEquals(0, filtered.getList("recentCriticalErrors").size(), wanted);
            }
            // The summary and root causes do not depend on the filter.
            assertEquals(full.getLong("errorSummary.totalErrors"), filtered.getLong("errorSummary.totalErrors"));
            assertEquals(full.getList("rootCauseAnalysis").size(), filtered.getList("rootCauseAnalysis").size());
        }
        assertTrue(severities.contains("high") && severities.contains("medium"), "generated mix: " + severities);
    }

    @Test
    void rootCausesNameTheNodeTheFactorsAndTheImpact() {
        JsonPath view = view(DATA.workflowId, range(START, ALL_END));
        List<AnalyticsMetric> rates = DATA.select(MetricType.ERROR_RATE, START, ALL_END, Dataset.workflowLevel());
        long executions = rates.size();
        long errors = failures(rates);
        double overall = ratio(errors, executions);

        // Contributing factors: dimension values with ≥ 30 executions and ≥ 1.5× the overall error rate.
        List<String[]> factors = new ArrayList<>();
        Map<String, Double> ratios = new HashMap<>();
        for (String dim : List.of("version", "environment", "region", "deviceType", "userType")) {
            Map<String, long[]> byValue = new TreeMap<>();
            for (AnalyticsMetric m : rates) {
                long[] c = byValue.computeIfAbsent(m.dimensions().get(dim).toString(), k -> new long[2]);
                c[0] += m.value() == 1 ? 1 : 0;
                c[1]++;
            }
            byValue.forEach((value, c) -> {
                double rate = ratio(c[0], c[1]);
                if (c[1] >= 30 && rate >= 1.5 * overall) {
                    factors.add(new String[] {dim, value});
                    ratios.put(dim + "=" + value, rate / overall);
                }
            });
        }
        factors.sort(Comparator.comparing((String[] f) -> ratios.get(f[0] + "=" + f[1])).reversed()
                .thenComparing(f -> f[0]).thenComparing(f -> f[1]));
        assertTrue(ratios.containsKey("version=2"), "version 2 is made to stand out: " + ratios);

        Map<String, Long> types = byType(DATA, START, ALL_END);
        List<String> top = types.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry::getKey)).map(Map.Entry::getKey).limit(3).toList();
        assertEquals(top, view.getList("rootCauseAnalysis.category"));

        Map<String, Long> nodeExecutions = new TreeMap<>();
        for (AnalyticsMetric m : nodeErrorRates(DATA, START, ALL_END)) {
            nodeExecutions.merge(m.dimensions().get(Dimensions.NODE_ID).toString(), 1L, Long::sum);
        }
        double costPerExecution = BruteForce.sum(DATA.select(MetricType.COST, START, ALL_END,
                Dataset.workflowLevel())).doubleValue() / executions;
        for (int i = 0; i < top.size(); i++) {
            String type = top.get(i);
            String at = "rootCauseAnalysis[" + i + "].";
            Map<String, Long> nodeFailures = new TreeMap<>();
            for (AnalyticsMetric m : nodeErrorRates(DATA, START, ALL_END)) {
                if (m.value() == 1 && type.equals(errorType(m))) {
                    nodeFailures.merge(m.dimensions().get(Dimensions.NODE_ID).toString(), 1L, Long::sum);
                }
            }
            List<String> components = nodeFailures.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue()
                    .reversed().thenComparing(Map.Entry::getKey)).map(Map.Entry::getKey).toList();
            assertEquals(components, view.getList(at + "affectedComponents"), type);
            String primary = components.get(0);
            assertEquals(primary, view.getString(at + "nodeId"), type);
            assertEquals(factors.size(), view.getList(at + "factors").size(), type);
            for (int f = 0; f < factors.size(); f++) {
                assertEquals(factors.get(f)[0], view.getString(at + "factors[" + f + "].dimension"), type);
                assertEquals(factors.get(f)[1], view.getString(at + "factors[" + f + "].value"), type);
                assertExact(ratios.get(factors.get(f)[0] + "=" + factors.get(f)[1]),
                        number(view, at + "factors[" + f + "].ratio"), type);
            }
            assertEquals(factors.size(), view.getList(at + "contributingFactors").size(), type);
            double[] nodeRates = nodeExecutions.entrySet().stream()
                    .mapToDouble(e -> ratio(nodeFailures.getOrDefault(e.getKey(), 0L), e.getValue())).sorted()
                    .toArray();
            int mid = nodeRates.length / 2;
            double median = nodeRates.length % 2 == 1 ? nodeRates[mid] : (nodeRates[mid - 1] + nodeRates[mid]) / 2;
            double reduction = Math.max(0, nodeFailures.get(primary) - median * nodeExecutions.get(primary));
            assertExact(reduction, number(view, at + "estimatedImpact.errorReduction"), type);
            assertExact(ratio(reduction, executions), number(view, at + "estimatedImpact.performanceImprovement"),
                    type);
            assertExact(reduction * costPerExecution, number(view, at + "estimatedImpact.costSavings"), type);
            assertFalse(view.getList(at + "recommendations").isEmpty(), type);
        }

        Map<String, String> without = new HashMap<>(range(START, ALL_END));
        without.put("includeRootCause", "false");
        assertEquals(0, view(DATA.workflowId, without).getList("rootCauseAnalysis").size());
    }

    @Test
    void aWorkflowWithoutDataGetsAnEmptyWellFormedView() {
        String empty = UUID.randomUUID().toString();
        JsonPath view = view(empty, Map.of("timeRange", "7d"));
        assertEquals(0, view.getLong("errorSummary.totalExecutions"));
        assertEquals(0, view.getLong("errorSummary.totalErrors"));
        assertExact(0, number(view, "errorSummary.errorRate"), "empty");
        assertNull(view.get("errorSummary.mostCommonErrorType"));
        assertEquals(0, view.getList("errorCategories").size());
        assertEquals(0, view.getList("rootCauseAnalysis").size());
        assertEquals(0, view.getList("recentCriticalErrors").size());
        assertEquals(0, view.getLong("resolutionMetrics.totalEpisodes"));
        assertEquals(0, view.getList("resolutionMetrics.resolutionMethods").size());
        List<Map<String, Object>> trends = view.getList("errorTrends");
        assertTrue(trends.size() >= 7, "one bucket per day, zeros included");
        trends.forEach(t -> assertEquals(0, ((Number) t.get("executions")).intValue()));
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        for (Map<String, String> bad : List.of(Map.of("timeRange", "banana"), Map.of("severity", "urgent"),
                Map.of("severity", "high,banana"), Map.of("includeRootCause", "maybe"), Map.of("start", "yesterday"),
                Map.of("start", "2026-11-02T00:00:00Z", "end", "2026-11-01T00:00:00Z"))) {
            String field = bad.containsKey("end") ? "end" : bad.keySet().iterator().next();
            Views.get(DATA.workflowId, "/errors", bad).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(field));
        }
        given().when().get("/api/workflows/{id}/analytics/errors", DATA.workflowId).then().statusCode(401);
    }
}
