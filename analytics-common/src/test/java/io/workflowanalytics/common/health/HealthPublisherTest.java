package io.workflowanalytics.common.health;

import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real Kafka client against an address where no broker listens: what a service sees while Kafka is down. */
class HealthPublisherTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private static HealthEvent report() {
        Instant now = Instant.now();
        return new HealthEvent(UUID.randomUUID().toString(), 1, now, HealthEvent.TYPE, "reports-service", null,
                new ComponentHealth("reports-service", HealthStatus.HEALTHY, null, null, now, 100.0));
    }

    @Test
    void publishingWhileKafkaIsDownNeitherBlocksTheCallerNorFailsAndGivesUpWithinTheTimeout() throws Exception {
        try (HealthPublisher publisher = new HealthPublisher("reports-service", "127.0.0.1:1", TIMEOUT)) {
            CompletableFuture<Boolean> outcome = new CompletableFuture<>();
            long start = System.nanoTime();
            publisher.publish(report()).subscribe().with(outcome::complete, outcome::completeExceptionally);
            // Had send run on this thread, it would have waited out max.block.ms and the outcome would be known.
            assertFalse(outcome.isDone(), "the caller waited for the broker");

            assertFalse(outcome.get(10, TimeUnit.SECONDS));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // max.block.ms (metadata) is the timeout; allow the client's own bookkeeping on top
            assertTrue(tookMillis < 2 * TIMEOUT.toMillis() + 1000, "gave up after " + tookMillis + " ms");
            assertTrue(publisher.inOutage());

            assertEquals(false, publisher.publish(report()).await().atMost(Duration.ofSeconds(10)));
            assertTrue(publisher.inOutage());
        }
    }
}
