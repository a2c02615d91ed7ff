package io.workflowanalytics.query.alerts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.workflowanalytics.common.events.AlertEvent;
import io.workflowanalytics.common.events.AlertEventType;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule type fires on data made for it and stays quiet on data just below it, through real Kafka, PostgreSQL and
 * Redis; and the rules API: defaults listed per workflow, CRUD, validation as 400 problems naming the field.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertRulesTest {

    final AlertData slow = new AlertData();
    final AlertData steady = new AlertData();
    final AlertData down = new AlertData();
    final AlertData flaky = new AlertData();
    final AlertData hot = new AlertData();
    final AlertData warm = new AlertData();
    final AlertData spender = new AlertData();
    final AlertData saver = new AlertData();
    private TestKafka.Reader reader;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    private boolean produced;

    @BeforeEach
    void produceOnce() {
        if (produced) {
            return;
        }
        produced = true;
        Instant now = Instant.now();
        // Performance: a 100-execution baseline around 100 ms over the last 20 minutes, then 20 executions now.
        for (AlertData d : List.of(slow, steady)) {
            for (int i = 0; i < 100; i++) {
                d.execution(now.minusSeconds(1200).plusSeconds(i * 10L), false, 90 + i % 20);
            }
            d.send();
            d.awaitRollups(MetricType.EXECUTION_TIME, 100);
            // p95 baseline ≈ 109 ms: fire level max(1.5 × 109, 109 + 200) ≈ 309 ms, clear level ≈ 269 ms.
            d.rule("""
                    {"type": "performance_degradation", "factor": 1.5, "minDelta": 200, "threshold": 0,
                     "windowSeconds": 60, "baselineSeconds": 1800, "minSamples": 10, "forSeconds": 0}""");
        }
        for (AlertData d : List.of(down, flaky)) {
            d.rule("""
                    {"type": "system_failure", "threshold": 5, "windowSeconds": 120, "forSeconds": 0}""");
        }
        for (AlertData d : List.of(hot, warm)) {
            d.rule("""
                    {"type": "resource_exhaustion", "resource": "cpu", "threshold": 90, "windowSeconds": 60,
                     "minSamples": 5, "forSeconds": 0}""");
        }
        budget(spender, "1.00");
        budget(saver, "10.00");
        for (AlertData d : List.of(spender, saver)) {
            d.rule("""
                    {"type": "cost_threshold_exceeded", "threshold": 1.0, "budgetPeriod": "day", "forSeconds": 0}""");
        }
        reader = TestKafka.readFromEnd(Topics.ANALYTICS_ALERTS);
        now = Instant.now();
        for (int i = 0; i < 20; i++) {
            Instant t = now.minusMillis(i * 100L);
            slow.execution(t, false, 400 + i);
            steady.execution(t, false, 150 + i);
            hot.resource("cpu", 95, t);
            warm.resource("cpu", 80, t);
        }
        // Six failures in a row; and four, a success, four.
        for (int i = 0; i < 6; i++) {
            down.execution(now.minusMillis(1000 - i * 100L), true, 100);
        }
        for (int i = 0; i < 9; i++) {
            flaky.execution(now.minusMillis(1000 - i * 100L), i != 4, 100);
        }
        spender.cost(0.75, now).cost(0.75, now);
        saver.cost(0.75, now).cost(0.75, now);
        for (AlertData d : List.of(slow, steady, down, flaky, hot, warm, spender, saver)) {
            d.send();
        }
    }

    @AfterAll
    void close() {
        if (reader != null) {
            reader.close();
        }
    }

    static void budget(AlertData d, String amount) {
        given().auth().oauth2(TestTokens.editorOf(d.workflowId)).contentType(ContentType.JSON)
                .body("{\"amount\": " + amount + "}").when()
                .put("/api/workflows/" + d.workflowId + "/analytics/costs/budgets/day").then().statusCode(200);
    }

    @Test
    void eachRuleFiresOnItsDataAndStaysQuietBelowIt() {
        Map<AlertData, String> firing = Map.of(slow, "performance_degradation", down, "system_failure",
                hot, "resource_exhaustion", spender, "cost_threshold_exceeded");
        Instant deadline = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(deadline) && !firing.keySet().stream().allMatch(d -> triggered(d) >= 1)) {
            seen.addAll(reader.read(r -> true, Integer.MAX_VALUE, Duration.ofMillis(500)));
        }
        // Two more sweeps for the quiet ones and for any second alert.
        Instant settle = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(settle)) {
            seen.addAll(reader.read(r -> true, Integer.MAX_VALUE, Duration.ofMillis(500)));
        }
        firing.forEach((d, type) -> {
            assertEquals(1, triggered(d), type + " fires once");
            JsonPath alerts = d.alerts("");
            assertEquals(1, alerts.getList("$").size(), type);
            assertEquals(type, alerts.getString("[0].type"));
            assertEquals("active", alerts.getString("[0].status"));
        });
        for (AlertData quiet : List.of(steady, flaky, warm, saver)) {
            assertEquals(0, events(quiet).size(), "quiet: " + events(quiet));
            assertEquals(0, quiet.alerts("").getList("$").size());
        }
        JsonPath perf = slow.alerts("");
        assertTrue(perf.getDouble("[0].value") >= 400, perf.prettify());
        assertEquals(109, perf.getDouble("[0].baseline"), 109 * 0.01);
        assertEquals(6, down.alerts("").getDouble("[0].value"), 0);
        assertTrue(down.alerts("").getList("[0].affectedComponents").contains("fetch"));
        assertEquals(95, hot.alerts("").getDouble("[0].value"), 1e-9);
        assertEquals(1.5, spender.alerts("").getDouble("[0].value"), 1e-9);
        assertTrue(spender.alerts("").getString("[0].description").contains("1.50 USD spent this day of a 1.00 USD"),
                spender.alerts("").getString("[0].description"));
        // Filters: by status and type.
        assertEquals(1, slow.alerts("?status=active&type=performance_degradation").getList("$").size());
        assertEquals(0, slow.alerts("?status=resolved").getList("$").size());
        given().auth().oauth2(TestTokens.viewerOf(slow.workflowId)).when()
                .get("/api/workflows/" + slow.workflowId + "/analytics/alerts?status=loud").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        given().auth().oauth2(TestTokens.viewerOf(slow.workflowId)).when()
                .get("/api/workflows/" + slow.workflowId + "/analytics/alerts?limit=0").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(TestTokens.viewerOf(slow.workflowId)).when()
                .get("/api/workflows/" + slow.workflowId + "/analytics/alerts?limit=abc").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("abc"));
        assertEquals(1, slow.alerts("?limit=1").getList("$").size());
    }

    @jakarta.inject.Inject
    AlertEvaluator evaluator;

    /**
     * Replicas evaluating the same rule at the same moment: eight evaluations at once (plus the service's own, which
     * the rule's enabling triggers) as soon as the condition holds give one alert and one alert_triggered.
     */
    @Test
    void concurrentEvaluationsOfOneRuleFireOnce() {
        AlertData d = new AlertData();
        String id = d.rule("""
                {"type": "system_failure", "threshold": 3, "windowSeconds": 120, "forSeconds": 0, "enabled": false}""");
        Instant now = Instant.now();
        for (int i = 0; i < 4; i++) {
            d.execution(now.minusMillis(400 - i * 100L), true, 100);
        }
        d.send();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> io.workflowanalytics.common
                .testing.TestDatabase.count("SELECT count(*) FROM query.execution_outcomes WHERE workflow_id = '"
                        + d.workflowId + "'") == 4);
        try (TestKafka.Reader alerts = TestKafka.readFromEnd(Topics.ANALYTICS_ALERTS)) {
            given().auth().oauth2(TestTokens.editorOf(d.workflowId)).contentType(ContentType.JSON)
                    .body("{\"type\": \"system_failure\", \"threshold\": 3, \"windowSeconds\": 120, "
                            + "\"forSeconds\": 0}").when()
                    .put("/api/workflows/" + d.workflowId + "/analytics/alert-rules/" + id).then().statusCode(200);
            List<io.smallrye.mutiny.Uni<Integer>> at = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                at.add(evaluator.evaluate(java.util.UUID.fromString(d.workflowId)));
            }
            int transitions = io.smallrye.mutiny.Uni.join().all(at).andFailFast().await()
                    .atMost(Duration.ofSeconds(30)).stream().mapToInt(Integer::intValue).sum();
            assertTrue(transitions <= 1, "transitions of the eight: " + transitions);
            List<AlertEvent> events = AlertData.events(AlertData.read(alerts, d.workflowId, 1, Duration.ofSeconds(10)));
            // read() waits a second past the first match for extras; the sweep runs every 2 s: one more look.
            events = new ArrayList<>(events);
            events.addAll(AlertData.events(AlertData.read(alerts, d.workflowId, 1, Duration.ofSeconds(3))));
            assertEquals(List.of(AlertEventType.ALERT_TRIGGERED), events.stream().map(AlertEvent::type).toList());
        }
        assertEquals(1, d.alerts("").getList("$").size());
    }

    @Test
    void aWorkflowListsTheDefaultsThatApplyToItAndItsOwnRulesReplaceThem() {
        AlertData d = new AlertData();
        String base = "/api/workflows/" + d.workflowId + "/analytics/alert-rules";
        JsonPath defaults = given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base).then()
                .statusCode(200).extract().jsonPath();
        // The test profile turns the cost default off (application.properties).
        assertEquals(List.of("error-rate-spike", "performance-degradation", "resource-exhaustion-cpu",
                        "resource-exhaustion-memory", "system-failure"),
                defaults.getList("defaultKey").stream().map(String::valueOf).sorted().toList());
        String id = d.rule("""
                {"type": "error_rate_spike", "threshold": 0.3, "windowSeconds": 60}""");
        JsonPath after = given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(5, after.getList("$").size());
        assertEquals(id, after.getString("[0].id"));
        org.junit.jupiter.api.Assertions.assertNull(after.get("[0].defaultKey"));
        // Omitted fields took the default's values.
        given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base + "/" + id).then().statusCode(200)
                .body("threshold", equalTo(0.3f)).body("factor", equalTo(2.0f)).body("minSamples", equalTo(20))
                .body("severity", equalTo("critical")).body("createdBy", equalTo("test-editor"));
        given().auth().oauth2(TestTokens.editorOf(d.workflowId)).contentType(ContentType.JSON)
                .body("{\"type\": \"error_rate_spike\", \"threshold\": 0.25, \"severity\": \"emergency\"}")
                .when().put(base + "/" + id).then().statusCode(200)
                .body("threshold", equalTo(0.25f)).body("severity", equalTo("emergency"))
                .body("windowSeconds", equalTo(300));
        given().auth().oauth2(TestTokens.editorOf(d.workflowId)).contentType(ContentType.JSON)
                .body("{\"type\": \"system_failure\"}").when().put(base + "/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
        // A default cannot be deleted, only turned off (it then becomes the workflow's own, disabled).
        String cpu = after.getString("find { it.defaultKey == 'resource-exhaustion-cpu' }.id");
        given().auth().oauth2(TestTokens.editorOf(d.workflowId)).when().delete(base + "/" + cpu).then()
                .statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.editorOf(d.workflowId)).contentType(ContentType.JSON)
                .body("{\"type\": \"resource_exhaustion\", \"resource\": \"cpu\", \"enabled\": false}")
                .when().put(base + "/" + cpu).then().statusCode(200)
                .body("enabled", equalTo(false)).body("defaultKey", nullValue()).body("threshold", equalTo(90.0f));
        given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base).then().statusCode(200)
                .body("defaultKey", org.hamcrest.Matchers.not(hasItem("resource-exhaustion-memory")))
                .body("find { it.id == '" + cpu + "' }.enabled", equalTo(false));
        given().auth().oauth2(TestTokens.editorOf(d.workflowId)).when().delete(base + "/" + id).then()
                .statusCode(204);
        given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        // The error-rate default applies again.
        given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base).then().statusCode(200)
                .body("defaultKey", hasItem("error-rate-spike"))
                .body("find { it.defaultKey == 'error-rate-spike' }.id", notNullValue());
    }

    @Test
    void invalidRulesAreBadRequestsNamingTheField() {
        AlertData d = new AlertData();
        String base = "/api/workflows/" + d.workflowId + "/analytics/alert-rules";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"threshold\": 0.2}", "type");
        cases.put("{\"type\": \"anomaly_detection\"}", "type");
        cases.put("{\"type\": \"bogus\"}", "type");
        cases.put("{\"type\": \"error_rate_spike\", \"threshold\": 1.5}", "threshold");
        cases.put("{\"type\": \"error_rate_spike\", \"threshold\": -0.1}", "threshold");
        cases.put("{\"type\": \"system_failure\", \"threshold\": 2.5}", "threshold");
        cases.put("{\"type\": \"resource_exhaustion\", \"resource\": \"cpu\", \"threshold\": 120}", "threshold");
        cases.put("{\"type\": \"resource_exhaustion\", \"resource\": \"disk\"}", "resource");
        cases.put("{\"type\": \"error_rate_spike\", \"resource\": \"cpu\"}", "resource");
        cases.put("{\"type\": \"cost_threshold_exceeded\", \"budgetPeriod\": \"year\"}", "budgetPeriod");
        cases.put("{\"type\": \"error_rate_spike\", \"severity\": \"loud\"}", "severity");
        cases.put("{\"type\": \"error_rate_spike\", \"windowSeconds\": 5}", "windowSeconds");
        cases.put("{\"type\": \"error_rate_spike\", \"windowSeconds\": 600, \"baselineSeconds\": 300}",
                "baselineSeconds");
        cases.put("{\"type\": \"error_rate_spike\", \"factor\": 0.5}", "factor");
        cases.put("{\"type\": \"error_rate_spike\", \"clearRatio\": 1.5}", "clearRatio");
        cases.put("{\"type\": \"error_rate_spike\", \"forSeconds\": -1}", "forSeconds");
        cases.put("{\"type\": \"error_rate_spike\", \"minSamples\": 0}", "minSamples");
        cases.put("{\"type\": \"error_rate_spike\", \"threshold\": \"high\"}", "threshold");
        cases.forEach((body, field) -> given().auth().oauth2(TestTokens.editorOf(d.workflowId))
                .contentType(ContentType.JSON).body(body).when().post(base).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo(field)));
        // A viewer reads but does not write.
        given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).contentType(ContentType.JSON)
                .body("{\"type\": \"error_rate_spike\"}").when().post(base).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.viewerOf(d.workflowId)).when().get(base + "/not-a-uuid").then()
                .statusCode(400).body("errors[0].field", equalTo("ruleId"));
    }

    private List<AlertEvent> events(AlertData d) {
        return AlertData.events(seen.stream().filter(r -> d.workflowId.equals(r.key())).toList());
    }

    private long triggered(AlertData d) {
        return events(d).stream().filter(e -> e.type() == AlertEventType.ALERT_TRIGGERED).count();
    }
}
