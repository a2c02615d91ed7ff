package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Records outside the contract on analytics.metrics are counted and skipped; the consumer goes on with the rest. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class RollupConsumerTest {

    @Test
    void aMetricWithAnIdThatIsNoUuidAndARecordThatIsNoJsonAreSkippedAndCounted() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        Dataset data = Dataset.generate(91, 20, start, Duration.ofHours(1));
        String valid = new String(EventJson.toBytes(data.metrics.get(0)), StandardCharsets.UTF_8);
        byte[] badId = valid.replace(data.metrics.get(0).id(), "not-a-uuid").getBytes(StandardCharsets.UTF_8);
        double before = unreadable();

        data.send(List.of(), List.of()); // nothing yet: waits until the consumer has its partitions
        TestKafka.send(Topics.ANALYTICS_METRICS, List.of(Map.entry(data.workflowId, badId),
                Map.entry(data.workflowId, "{\"id\": ".getBytes(StandardCharsets.UTF_8))));
        data.send();

        Views.await(data.workflowId, "/performance", Map.of("start", start.toString(), "end",
                start.plus(2, ChronoUnit.HOURS).toString()),
                json -> number(json, "performanceMetrics.totalExecutions") == 20);
        assertEquals(before + 2, unreadable(), "both bad records counted as unreadable");
    }

    @Test
    void recordsWhoseNumbersOrIdsTheStoreCannotTakeAreSkippedNotRetriedForEver() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        Dataset data = Dataset.generate(92, 20, start, Duration.ofHours(1));
        String metric = new String(EventJson.toBytes(data.metrics.get(0)), StandardCharsets.UTF_8);
        // JSON's 1e400 reads as an infinite double, which no numeric column holds
        byte[] infinite = metric.replaceFirst("\"value\":[^,]+,", "\"value\":1e400,")
                .replace(data.metrics.get(0).id(), java.util.UUID.randomUUID().toString())
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(true, new String(infinite, StandardCharsets.UTF_8).contains("\"value\":1e400,"));
        var execution = data.executions.stream().filter(e -> e.finishedAt() != null).findFirst().orElseThrow();
        byte[] badExecution = new String(EventJson.toBytes(execution), StandardCharsets.UTF_8)
                .replace(execution.executionId(), "run-1").getBytes(StandardCharsets.UTF_8);
        double before = unreadable();

        data.send(List.of(), List.of());
        TestKafka.send(Topics.ANALYTICS_METRICS, List.of(Map.entry(data.workflowId, infinite)));
        TestKafka.send(Topics.ANALYTICS_EXECUTIONS, List.of(Map.entry(data.workflowId, badExecution)));
        data.send();

        Views.await(data.workflowId, "/performance", Map.of("start", start.toString(), "end",
                start.plus(2, ChronoUnit.HOURS).toString()),
                json -> number(json, "performanceMetrics.totalExecutions") == 20);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> unreadable() == before + 2);
    }

    @Test
    void aRedeliveredBatchInvalidatesItsWorkflowsViewsAgain() {
        // The replica that committed a batch may die before invalidating; whoever gets the batch again finds every
        // metric applied already and must still invalidate, or views cached before the commit live on to their TTL.
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        Dataset data = Dataset.generate(93, 20, start, Duration.ofHours(1));
        data.send();
        Views.await(data.workflowId, "/performance", Map.of("start", start.toString(), "end",
                start.plus(2, ChronoUnit.HOURS).toString()),
                json -> number(json, "performanceMetrics.totalExecutions") == 20);
        var key = io.workflowanalytics.query.cache.CacheKey.performance(data.workflowId.toString(), "redelivery", "");
        lookup(key);
        org.junit.jupiter.api.Assertions.assertTrue(lookup(key).cached(), "stored");

        data.send(data.metrics, List.of()); // the metrics again, every one a duplicate now
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !lookup(key).cached());
    }

    @jakarta.inject.Inject
    io.workflowanalytics.query.cache.ViewCache cache;

    private io.workflowanalytics.query.cache.ViewCache.Lookup lookup(io.workflowanalytics.query.cache.CacheKey key) {
        return cache.getOrCompute(key, () -> io.smallrye.mutiny.Uni.createFrom().item("{\"stale\":true}"))
                .await().atMost(Duration.ofSeconds(5));
    }

    private static double unreadable() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("wa_rollup_records_unreadable_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
