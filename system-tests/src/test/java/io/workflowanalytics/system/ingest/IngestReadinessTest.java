package io.workflowanalytics.system.ingest;

import io.workflowanalytics.common.testing.ProjectRoot;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.system.ServiceProcess;
import io.workflowanalytics.system.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness of the packaged metrics-ingest follows its dependencies without a restart: DOWN while PostgreSQL is
 * unreachable (cut through a proxy, so the shared server keeps running) or the Kafka broker is stopped, UP again
 * once they are back.
 */
class IngestReadinessTest {

    private static final int PORT = 18183;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void infrastructure() {
        new RealInfrastructure().start();
    }

    @Test
    void readinessGoesDownWithPostgresOrKafkaAndComesBackWithoutRestart() throws Exception {
        IngestTopics topics = IngestTopics.create();
        try (TcpProxy postgres = new TcpProxy(5432).start()) {
            String db = "127.0.0.1:" + postgres.port() + "/analytics";
            Map<String, String> overrides = new java.util.HashMap<>(topics.overrides(500));
            overrides.put("quarkus.datasource.reactive.url", "postgresql://" + db + "?search_path=ingest");
            overrides.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db + "?currentSchema=ingest");
            try (ServiceProcess ingest = new ServiceProcess("metrics-ingest", PORT, overrides).start()) {
                awaitReadiness(200, null);

                postgres.cut();
                String down = awaitReadiness(503, "Reactive PostgreSQL connections health check");
                assertTrue(down.contains("\"status\": \"DOWN\""), down);
                postgres.start();
                awaitReadiness(200, null);

                try {
                    infra("down", "kafka");
                    awaitReadiness(503, "Kafka broker connection");
                    // The HTTP intake cannot be durable without the broker: it says so instead of answering 202.
                    HttpResponse<String> intake = postOneMetric();
                    assertEquals(503, intake.statusCode(), intake.body());
                    assertEquals("application/problem+json", intake.headers().firstValue("content-type").orElse(""));
                } finally {
                    infra("up", "kafka");
                }
                awaitReadiness(200, null);
            }
        } finally {
            topics.delete();
        }
    }

    /** Waits for the readiness status; when a check is named, it must be the one reported DOWN. */
    private static String awaitReadiness(int status, String downCheck) {
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT
                    + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(status, r.statusCode(), r.body());
            if (downCheck != null) {
                int at = r.body().indexOf(downCheck);
                assertTrue(at >= 0 && r.body().indexOf("\"DOWN\"", at) > at, r.body());
            }
            body[0] = r.body();
        });
        return body[0];
    }

    private static HttpResponse<String> postOneMetric() throws Exception {
        String workflow = java.util.UUID.randomUUID().toString();
        String id = java.util.UUID.randomUUID().toString();
        java.time.Instant now = java.time.Instant.now();
        String metric = io.workflowanalytics.common.events.EventJson.toString(
                new io.workflowanalytics.common.events.AnalyticsMetric(id, 1, now, id, workflow,
                        io.workflowanalytics.common.events.MetricType.COST, 1.0, now, Map.of(), java.util.List.of(),
                        io.workflowanalytics.common.events.MetricSource.COST_TRACKER,
                        io.workflowanalytics.common.events.AggregationLevel.RAW));
        String token = io.workflowanalytics.common.testing.TestTokens.token("engine", java.util.List.of(
                "analytics-ingest"), java.util.List.of(workflow));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/v1/ingest/metrics"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + metric + "]")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void infra(String command, String component) throws Exception {
        Process p = new ProcessBuilder("bash", ProjectRoot.get().resolve("deploy/local/infra").toString(), command,
                component).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
