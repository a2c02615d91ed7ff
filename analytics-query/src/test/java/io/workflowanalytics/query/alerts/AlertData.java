package io.workflowanalytics.query.alerts;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AlertEvent;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.ErrorType;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.NodeStatus;
import io.workflowanalytics.common.events.UserType;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.query.testing.Dataset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * One workflow's executions and metrics as metrics-ingest publishes them (the implied metrics of docs/events),
 * produced to analytics.executions and analytics.metrics in batches, and the alert API of that workflow.
 */
final class AlertData {

    final Dataset dataset = new Dataset();
    final String workflowId = dataset.workflowId;
    private final List<ExecutionEvent> executions = new ArrayList<>();
    private final List<AnalyticsMetric> metrics = new ArrayList<>();

    /** A finished execution; a failed one fails at node "fetch" with an api_timeout. */
    AlertData execution(Instant finished, boolean failed, double durationMs) {
        String executionId = UUID.randomUUID().toString();
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(Dimensions.EXECUTION_ID, executionId);
        context.put(Dimensions.USER_ID, "user-1");
        metric(MetricType.EXECUTION_COUNT, 1, finished, context);
        metric(MetricType.EXECUTION_TIME, durationMs, finished, context);
        metric(MetricType.SUCCESS_RATE, failed ? 0 : 1, finished, context);
        Map<String, Object> errors = new LinkedHashMap<>(context);
        if (failed) {
            errors.put(Dimensions.ERROR_TYPE, "api_timeout");
        }
        metric(MetricType.ERROR_RATE, failed ? 1 : 0, finished, errors);
        List<ExecutionEvent.NodeExecution> nodes = List.of(new ExecutionEvent.NodeExecution("fetch", "http_request",
                failed ? NodeStatus.FAILED : NodeStatus.SUCCEEDED, finished.minusMillis((long) durationMs),
                durationMs, failed ? ErrorType.API_TIMEOUT : null, failed ? "timed out" : null));
        executions.add(new ExecutionEvent(UUID.randomUUID().toString(), 1, finished,
                failed ? ExecutionEventType.EXECUTION_FAILED : ExecutionEventType.EXECUTION_COMPLETED, executionId,
                workflowId, "1", "production", "user-1", UserType.REGULAR_USER, "europe", "DE", "desktop",
                finished.minusMillis((long) durationMs), finished, durationMs, nodes,
                failed ? ErrorType.API_TIMEOUT : null, failed ? "failed at fetch" : null, null, List.of()));
        return this;
    }

    /** A workflow-level resource_usage metric (resource = cpu or memory). */
    AlertData resource(String resource, double value, Instant at) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put(Dimensions.EXECUTION_ID, UUID.randomUUID().toString());
        dims.put("resource", resource);
        metric(MetricType.RESOURCE_USAGE, value, at, dims);
        return this;
    }

    AlertData cost(double amount, Instant at) {
        Map<String, Object> dims = new LinkedHashMap<>();
        dims.put(Dimensions.EXECUTION_ID, UUID.randomUUID().toString());
        dims.put(Dimensions.COST_COMPONENT, "compute");
        metric(MetricType.COST, amount, at, dims);
        return this;
    }

    private void metric(MetricType type, double value, Instant at, Map<String, Object> dims) {
        metrics.add(new AnalyticsMetric(UUID.randomUUID().toString(), 1, at, UUID.randomUUID().toString(),
                workflowId, type, value, at, dims, List.of(), MetricSource.RUNTIME_ENGINE, AggregationLevel.RAW));
    }

    /** Produces what was added since the last send. */
    void send() {
        List<AnalyticsMetric> m = List.copyOf(metrics);
        List<ExecutionEvent> e = List.copyOf(executions);
        metrics.clear();
        executions.clear();
        dataset.send(m, e);
    }

    /** Waits until the rollups hold {@code count} workflow-level values of the metric type. */
    void awaitRollups(MetricType type, long count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                TestDatabase.count("SELECT coalesce(sum(count), 0) FROM query.metric_rollups WHERE workflow_id = '"
                        + workflowId + "' AND metric_type = '" + type.wire() + "' AND dim_key = '' "
                        + "AND level = 'minute'") == count);
    }

    /** Creates a rule through the API as an editor; returns its id. */
    String rule(String json) {
        return given().auth().oauth2(TestTokens.editorOf(workflowId)).contentType(ContentType.JSON).body(json)
                .when().post("/api/workflows/" + workflowId + "/analytics/alert-rules")
                .then().statusCode(201).extract().path("id");
    }

    JsonPath alerts(String query) {
        return given().auth().oauth2(TestTokens.viewerOf(workflowId)).when()
                .get("/api/workflows/" + workflowId + "/analytics/alerts" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the workflow has {@code n} alerts matching the query, and returns them. */
    JsonPath awaitAlerts(String query, int n, Duration atMost) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = alerts(query);
            return last[0].getList("$").size() == n;
        });
        return last[0];
    }

    private static final com.networknt.schema.Schema ALERT_EVENT_SCHEMA = schema();

    private static com.networknt.schema.Schema schema() {
        try {
            return com.networknt.schema.SchemaRegistry.withDefaultDialect(
                    com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(java.nio.file.Files.readString(
                    io.workflowanalytics.common.testing.ProjectRoot.get()
                            .resolve("docs/events/alert-event.schema.json")), com.networknt.schema.InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert events among the records read, each checked against the topic's JSON Schema first. */
    static List<AlertEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        List<AlertEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                String json = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
                var errors = ALERT_EVENT_SCHEMA.validate(json, com.networknt.schema.InputFormat.JSON);
                if (!errors.isEmpty()) {
                    throw new AssertionError("not an alert-event.schema.json AlertEvent: " + errors + "\n" + json);
                }
                out.add(EventJson.fromBytes(r.value(), AlertEvent.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static List<ConsumerRecord<String, byte[]>> read(TestKafka.Reader reader, String workflowId, int expected,
                                                      Duration timeout) {
        return reader.read(r -> workflowId.equals(r.key()), expected, timeout);
    }
}
