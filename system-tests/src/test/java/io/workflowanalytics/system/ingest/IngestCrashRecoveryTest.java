package io.workflowanalytics.system.ingest;

import io.workflowanalytics.common.events.AggregationLevel;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.MetricSource;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.system.RawStore;
import io.workflowanalytics.system.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * metrics-ingest killed with SIGKILL in the middle of a stream and started again: offsets were committed only after
 * the rows they covered, so the restarted consumer redelivers what was uncommitted, and the idempotent store keeps
 * exactly one row per metric.
 */
class IngestCrashRecoveryTest {

    private static final int METRICS = 40_000;

    @BeforeAll
    static void infrastructure() {
        new RealInfrastructure().start();
    }

    @Test
    void killedMidStreamAndRestartedStoresEveryMetricExactlyOnce() throws Exception {
        IngestTopics topics = IngestTopics.create();
        String workflow = UUID.randomUUID().toString();
        Instant base = Instant.now().minusSeconds(3600);
        List<Map.Entry<String, byte[]>> stream = new ArrayList<>(METRICS);
        for (int i = 0; i < METRICS; i++) {
            String id = UUID.randomUUID().toString();
            Instant t = base.plusMillis(i * 50L);
            stream.add(Map.entry(workflow, EventJson.toBytes(new AnalyticsMetric(id, 1, t, id, workflow,
                    MetricType.EXECUTION_TIME, 100.0 + i % 900, t, Map.of("nodeId", "n" + i % 7), List.of(),
                    MetricSource.RUNTIME_ENGINE, AggregationLevel.RAW))));
        }
        TestKafka.send(topics.metrics(), stream);

        long atKill;
        try (ServiceProcess ingest = new ServiceProcess("metrics-ingest", 18181, topics.overrides(250)).start()) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> RawStore.metricsOf(workflow) >= METRICS / 5);
            ingest.kill();
            atKill = RawStore.metricsOf(workflow);
        }
        assertTrue(atKill < METRICS, "the kill must land mid-stream, but all " + atKill + " rows were already stored");

        try (ServiceProcess ingest = new ServiceProcess("metrics-ingest", 18181, topics.overrides(250)).start()) {
            await().atMost(Duration.ofSeconds(180)).until(() -> RawStore.metricsOf(workflow) >= METRICS);
            Thread.sleep(3000);
            assertEquals(METRICS, RawStore.metricsOf(workflow), "exactly one row per metric after the restart");
        } finally {
            topics.delete();
        }
        System.out.printf("crash recovery: %d of %d stored when killed, %d after restart%n", atKill, METRICS,
                RawStore.metricsOf(workflow));
    }
}
