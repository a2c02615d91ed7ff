package io.workflowanalytics.realtime.live;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.workflowanalytics.common.events.Alert;
import io.workflowanalytics.common.events.AlertEvent;
import io.workflowanalytics.common.events.AlertEventType;
import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestEvents;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.realtime.snapshots.SnapshotJob;
import io.workflowanalytics.realtime.testing.GatewayTopics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET …/analytics/realtime from the events the gateway consumed, compared with figures computed here from the same
 * events; and the snapshot job storing them.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class RealtimeStatusTest {

    private static final double EPS = 1e-9;

    @Inject
    SnapshotJob snapshots;

    @Test
    void liveFiguresActiveExecutionsAndOpenAlertsMatchTheEvents() {
        GatewayTopics.awaitConsumers();
        String workflow = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ExecutionEvent> events = new ArrayList<>();
        // finished at 30 s, 2 min, 4 min, 8 min and 12 min ago; durations d; every third fails
        long[] agoSeconds = {30, 45, 120, 130, 240, 250, 480, 490, 720, 730, 20 * 60 /* outside every window */};
        double[] durations = new double[agoSeconds.length];
        boolean[] failed = new boolean[agoSeconds.length];
        for (int i = 0; i < agoSeconds.length; i++) {
            Instant finished = now.minusSeconds(agoSeconds[i]);
            durations[i] = 1000 + 137 * i;
            failed[i] = i % 3 == 0;
            events.add(finishedAt(workflow, finished, durations[i], failed[i], 10 + i, 100 + 10 * i));
        }
        // two still running, one whose start arrives after its end (not running)
        String running1 = UUID.randomUUID().toString();
        String running2 = UUID.randomUUID().toString();
        events.add(TestEvents.started(workflow, running1, now.minusSeconds(90)));
        events.add(TestEvents.started(workflow, running2, now.minusSeconds(10)));
        String late = events.get(0).executionId();
        events.add(TestEvents.started(workflow, late, now.minusSeconds(40)));
        GatewayTopics.produce(Topics.ANALYTICS_EXECUTIONS, events);

        Alert open = alert("a-" + UUID.randomUUID(), AlertStatus.ACTIVE, now);
        Alert closed = alert("b-" + UUID.randomUUID(), AlertStatus.ACTIVE, now);
        GatewayTopics.produce(Topics.ANALYTICS_ALERTS, List.of(
                alertEvent(workflow, AlertEventType.ALERT_TRIGGERED, open),
                alertEvent(workflow, AlertEventType.ALERT_TRIGGERED, closed),
                alertEvent(workflow, AlertEventType.ALERT_RESOLVED, withStatus(closed, AlertStatus.RESOLVED))));

        String token = TestTokens.viewerOf(workflow);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(token)
                .get("/api/workflows/{id}/analytics/realtime", workflow).then().extract().jsonPath()
                .getInt("currentMetrics.windows[2].executions") == 10
                && given().auth().oauth2(token).get("/api/workflows/{id}/analytics/realtime", workflow).then()
                .extract().jsonPath().getList("alerts").size() == 1);

        JsonPath status = given().auth().oauth2(token).get("/api/workflows/{id}/analytics/realtime", workflow)
                .then().statusCode(200).extract().jsonPath(JsonPathConfig.jsonPathConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
        Instant asOf = Instant.parse(status.getString("currentMetrics.asOf"));
        long[] windows = {60, 300, 900};
        for (int w = 0; w < 3; w++) {
            List<Integer> in = new ArrayList<>();
            for (int i = 0; i < agoSeconds.length; i++) {
                Instant finished = now.minusSeconds(agoSeconds[i]);
                if (!finished.isBefore(asOf.minusSeconds(windows[w]))) {
                    in.add(i);
                }
            }
            String p = "currentMetrics.windows[" + w + "].";
            assertEquals(in.size(), status.getInt(p + "executions"), p);
            assertEquals(in.size() / (windows[w] / 60.0), status.getDouble(p + "throughput"), EPS, p);
            double mean = in.stream().mapToDouble(i -> durations[i]).average().orElse(0);
            assertEquals(mean, status.getDouble(p + "averageExecutionTime"), 1e-6, p);
            double[] sorted = in.stream().mapToDouble(i -> durations[i]).sorted().toArray();
            assertEquals(sorted[(int) Math.floor(0.95 * (sorted.length - 1))],
                    status.getDouble(p + "p95ExecutionTime"), 1e-6, p);
            long failures = in.stream().filter(i -> failed[i]).count();
            assertEquals(failures / (double) in.size(), status.getDouble(p + "errorRate"), EPS, p);
            assertEquals(1 - failures / (double) in.size(), status.getDouble(p + "successRate"), EPS, p);
        }
        assertEquals(status.getDouble("currentMetrics.windows[0].throughput"),
                status.getDouble("currentMetrics.currentThroughput"), EPS);
        assertEquals(status.getDouble("currentMetrics.windows[1].errorRate"),
                status.getDouble("currentMetrics.errorRate"), EPS);
        // cpu of the last five minutes' executions (i = 0..5)
        assertEquals(Arrays.stream(new int[]{0, 1, 2, 3, 4, 5}).map(i -> 10 + i).average().orElseThrow(),
                status.getDouble("currentMetrics.resources.cpuPercent"), 1e-9);

        assertEquals(2, status.getInt("currentMetrics.activeExecutions"));
        assertEquals(List.of(running1, running2), status.getList("activeExecutions.executionId"));
        assertTrue(status.getDouble("activeExecutions[0].runningForMs") >= 90_000);
        assertEquals(List.of(open.id()), status.getList("alerts.id"));
        assertEquals("active", status.getString("alerts[0].status"));
        // newest first; health changes of the suite's services (other test JVMs come and go) may stand in between
        List<String> recentTypes = status.<String>getList("recentEvents.type").stream()
                .filter(t -> !t.equals("system_health_changed")).toList();
        assertEquals("alert_resolved", recentTypes.get(0), "newest first");
        assertTrue(status.getString("systemHealth.overall") != null);

        // the snapshot job stores what the endpoint shows
        int written = snapshots.run(Instant.now()).await().atMost(Duration.ofSeconds(10));
        assertTrue(written >= 1);
        assertEquals(0, snapshots.run(Instant.now()).await().atMost(Duration.ofSeconds(10)),
                "at most one row per workflow and period");
        given().auth().oauth2(token).get("/api/workflows/{id}/analytics/realtime/snapshots?timeRange=1h", workflow)
                .then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1))
                .body("[0].activeExecutions", org.hamcrest.Matchers.equalTo(2))
                .body("[0].alerts[0].id", org.hamcrest.Matchers.equalTo(open.id()))
                .body("[0].performance.windows[2].executions", org.hamcrest.Matchers.equalTo(10));
    }

    @Test
    void aWorkflowWithoutEventsHasAnEmptyWellFormedStatus() {
        String workflow = UUID.randomUUID().toString();
        given().auth().oauth2(TestTokens.viewerOf(workflow)).get("/api/workflows/{id}/analytics/realtime", workflow)
                .then().statusCode(200)
                .body("currentMetrics.currentThroughput", org.hamcrest.Matchers.equalTo(0.0f))
                .body("currentMetrics.trendDirection", org.hamcrest.Matchers.equalTo("stable"))
                .body("currentMetrics.windows.size()", org.hamcrest.Matchers.equalTo(3))
                .body("activeExecutions.size()", org.hamcrest.Matchers.equalTo(0))
                .body("alerts.size()", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(TestTokens.viewerOf(UUID.randomUUID().toString()))
                .get("/api/workflows/{id}/analytics/realtime", workflow).then().statusCode(403);
    }

    private static ExecutionEvent finishedAt(String workflow, Instant finished, double durationMs, boolean failed,
                                             double cpu, double memory) {
        ExecutionEvent e = TestEvents.finished(workflow, UUID.randomUUID().toString(),
                finished.minusMillis((long) durationMs), failed);
        return new ExecutionEvent(e.eventId(), e.schemaVersion(), finished,
                failed ? ExecutionEventType.EXECUTION_FAILED : ExecutionEventType.EXECUTION_COMPLETED,
                e.executionId(), workflow, e.workflowVersion(), e.environment(), e.userId(), e.userType(), e.region(),
                e.country(), e.deviceType(), e.startedAt(), finished, durationMs, e.nodes(), e.errorType(),
                e.errorMessage(), new ExecutionEvent.ResourceUsage(cpu, memory, null, null, null), e.costs());
    }

    private static Alert alert(String id, AlertStatus status, Instant at) {
        return new Alert(id, AlertType.ERROR_RATE_SPIKE, AlertSeverity.CRITICAL, "Error rate spike",
                "12 % of executions fail", at, status, List.of("fetch-orders"), List.of("check the API"), "high");
    }

    private static Alert withStatus(Alert a, AlertStatus status) {
        return new Alert(a.id(), a.type(), a.severity(), a.title(), a.description(), a.timestamp(), status,
                a.affectedComponents(), a.recommendations(), a.estimatedImpact());
    }

    private static AlertEvent alertEvent(String workflow, AlertEventType type, Alert alert) {
        Instant now = Instant.now();
        return new AlertEvent(UUID.randomUUID().toString(), 1, now, type, workflow, alert, now);
    }
}
