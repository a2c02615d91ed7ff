package io.workflowanalytics.system.query;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.simulator.HistoryGenerator;
import io.workflowanalytics.system.ServiceProcess;
import io.workflowanalytics.system.ingest.IngestTopics;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read path end to end, as packaged: the simulator's executions go onto the input topic, metrics-ingest
 * validates, stores and expands them, analytics-query rolls them up, and the views' numbers equal the ones computed
 * here from the execution events themselves; producing the whole stream again changes none of them.
 */
class AnalyticsEndToEndTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(6, ChronoUnit.DAYS);
    static final Instant END = START.plus(5, ChronoUnit.DAYS);
    static final long SEED = System.nanoTime();

    static IngestTopics topics;
    static ServiceProcess query;
    static ServiceProcess ingest;
    static List<ExecutionEvent> events;

    @BeforeAll
    static void start() throws Exception {
        new RealInfrastructure().start();
        topics = IngestTopics.create();
        String group = "st-query-" + UUID.randomUUID().toString().substring(0, 8);
        query = new ServiceProcess("analytics-query", 18282, Map.of(
                "mp.messaging.incoming.analytics-metrics.group.id", group,
                "mp.messaging.incoming.analytics-executions.group.id", group,
                // Only what this test makes: the shared topics' history is not ours to replay.
                "mp.messaging.incoming.analytics-metrics.auto.offset.reset", "latest",
                "mp.messaging.incoming.analytics-executions.auto.offset.reset", "latest",
                "wa.analysis.enabled", "false")).start();
        TestKafka.awaitAssigned(group, List.of(Topics.ANALYTICS_METRICS, Topics.ANALYTICS_EXECUTIONS));
        ingest = new ServiceProcess("metrics-ingest", 18182, topics.overrides(2000)).start();
        events = HistoryGenerator.executions(SEED, 3, 400, START.plus(Duration.ofMinutes(7)), Duration.ofDays(4));
        produce(events);
        RestAssured.port = 18282;
        for (String workflow : workflows()) {
            long expected = finished(workflow).size();
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> executions(performance(workflow)) == expected);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (ingest != null) {
            ingest.close();
        }
        if (query != null) {
            query.close();
        }
        if (topics != null) {
            topics.delete();
        }
        RestAssured.reset();
    }

    @Test
    void performanceAndDashboardEqualWhatTheExecutionEventsSay() {
        for (String workflow : workflows()) {
            List<ExecutionEvent> done = finished(workflow);
            JsonPath perf = performance(workflow);
            assertEquals(done.size(), executions(perf), "seed " + SEED);
            BigDecimal durations = BigDecimal.ZERO;
            for (ExecutionEvent e : done) {
                durations = durations.add(BigDecimal.valueOf(e.durationMs()).setScale(6, RoundingMode.HALF_UP));
            }
            double average = durations.divide(BigDecimal.valueOf(done.size()), MathContext.DECIMAL64).doubleValue();
            assertEquals(average, number(perf, "performanceMetrics.averageExecutionTime"), average * 1e-12);
            long succeeded = done.stream().filter(e -> e.type() == ExecutionEventType.EXECUTION_COMPLETED).count();
            assertEquals((double) succeeded / done.size(), number(perf, "performanceMetrics.successRate"), 1e-12);
            double[] sorted = done.stream().mapToDouble(ExecutionEvent::durationMs).sorted().toArray();
            double p95 = sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
            assertTrue(Math.abs(number(perf, "performanceMetrics.p95ExecutionTime") - p95) <= p95 * 0.01,
                    "p95 " + p95 + " vs " + number(perf, "performanceMetrics.p95ExecutionTime"));

            // Per node: every duration a finished execution reported for it.
            Map<String, List<Double>> nodeTimes = new LinkedHashMap<>();
            for (ExecutionEvent e : done) {
                for (ExecutionEvent.NodeExecution n : e.nodes()) {
                    if (n.durationMs() != null) {
                        nodeTimes.computeIfAbsent(n.nodeId(), k -> new ArrayList<>()).add(n.durationMs());
                    }
                }
            }
            nodeTimes.forEach((node, times) -> {
                String at = "nodePerformance.find { it.nodeId == '" + node + "' }.";
                assertEquals(times.size(), (long) number(perf, at + "executions"), node);
                double mean = times.stream().map(t -> BigDecimal.valueOf(t).setScale(6, RoundingMode.HALF_UP))
                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                        .divide(BigDecimal.valueOf(times.size()), MathContext.DECIMAL64).doubleValue();
                assertEquals(mean, number(perf, at + "averageExecutionTime"), mean * 1e-12, node);
            });

            JsonPath dashboard = view(workflow, "/dashboard");
            BigDecimal cost = BigDecimal.ZERO;
            Set<String> users = new HashSet<>();
            for (ExecutionEvent e : done) {
                for (ExecutionEvent.CostItem c : e.costs()) {
                    cost = cost.add(BigDecimal.valueOf(c.amount()).setScale(6, RoundingMode.HALF_UP));
                }
                users.add(e.userId());
            }
            assertEquals(cost.doubleValue(), number(dashboard, "overview.totalCost"), 1e-9);
            assertEquals(users.size(), (long) number(dashboard, "overview.activeUsers"));
        }
    }

    @Test
    void producingTheWholeStreamAgainChangesNoNumber() throws Exception {
        String workflow = workflows().get(0);
        String before = performance(workflow).prettify();
        produce(events);
        // A fresh execution behind the replay, on the same partition: once it counts, the replay has been read.
        List<ExecutionEvent> extra = HistoryGenerator.executions(SEED + 1, 1, 1, START.plus(Duration.ofHours(3)),
                Duration.ofMinutes(1)).stream().map(e -> withWorkflow(e, workflow)).toList();
        produce(extra);
        long expected = finished(workflow).size() + 1;
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> executions(performance(workflow)) == expected);
        assertEquals(expected, executions(performance(workflow)), "before the replay: " + before);
        for (String other : workflows().subList(1, workflows().size())) {
            assertEquals(finished(other).size(), executions(performance(other)));
        }
    }

    private static ExecutionEvent withWorkflow(ExecutionEvent e, String workflow) {
        return new ExecutionEvent(e.eventId(), e.schemaVersion(), e.occurredAt(), e.type(), e.executionId(), workflow,
                e.workflowVersion(), e.environment(), e.userId(), e.userType(), e.region(), e.country(),
                e.deviceType(), e.startedAt(), e.finishedAt(), e.durationMs(), e.nodes(), e.errorType(),
                e.errorMessage(), e.resourceUsage(), e.costs());
    }

    private static void produce(List<ExecutionEvent> list) {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        list.forEach(e -> records.add(Map.entry(e.workflowId(), EventJson.toBytes(e))));
        TestKafka.send(topics.executions(), records);
    }

    private static List<String> workflows() {
        return events.stream().map(ExecutionEvent::workflowId).distinct().sorted().collect(Collectors.toList());
    }

    private static List<ExecutionEvent> finished(String workflow) {
        return events.stream().filter(e -> e.workflowId().equals(workflow)
                && e.type() != ExecutionEventType.EXECUTION_STARTED
                && !e.finishedAt().isBefore(START) && e.finishedAt().isBefore(END)).toList();
    }

    private static JsonPath performance(String workflow) {
        return view(workflow, "/performance");
    }

    private static JsonPath view(String workflow, String path) {
        return RestAssured.given().auth().oauth2(TestTokens.viewerOf(workflow))
                .queryParams(Map.of("start", START.toString(), "end", END.toString()))
                .when().get("/api/workflows/" + workflow + "/analytics" + path).then().statusCode(200)
                .extract().jsonPath(JsonPathConfig.jsonPathConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static long executions(JsonPath perf) {
        return (long) number(perf, "performanceMetrics.totalExecutions");
    }

    private static double number(JsonPath json, String path) {
        Object v = json.get(path);
        return v == null ? Double.NaN : new BigDecimal(v.toString()).doubleValue();
    }
}
