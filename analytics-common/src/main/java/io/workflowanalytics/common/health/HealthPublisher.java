package io.workflowanalytics.common.health;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends health events to {@code analytics.health}, keyed by service name, so that a Kafka outage costs the service
 * nothing: a plain producer whose {@code send} (which blocks while it waits for the broker's metadata) runs on a
 * thread of its own, {@code max.block.ms} and the request timeout bounded by {@code timeout} and the delivery by
 * twice that, a 1 MiB buffer, and one warning per outage. Not idempotent: a lost or doubled report is harmless, the
 * next one repeats the state.
 */
final class HealthPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HealthPublisher.class);

    private final String service;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wa-health-publisher");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean outage = new AtomicBoolean();
    private volatile boolean closed;

    HealthPublisher(String service, String bootstrapServers, Duration timeout) {
        this.service = service;
        int millis = (int) timeout.toMillis();
        this.producer = new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, service + "-health"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 0),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 1024L * 1024),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * millis),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000)),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Emits true once the broker acknowledged the event, false when it could not be delivered (never a failure).
     * Returns at once; nothing runs on the subscribing thread.
     */
    Uni<Boolean> publish(HealthEvent event) {
        if (closed) {
            return Uni.createFrom().item(false); // shutting down: a last check racing the close says nothing
        }
        return Uni.createFrom().<Boolean>emitter(emitter -> {
                    try {
                        producer.send(new ProducerRecord<>(Topics.ANALYTICS_HEALTH, service, EventJson.toBytes(event)),
                                (metadata, error) -> {
                                    if (error == null) {
                                        emitter.complete(true);
                                    } else {
                                        emitter.fail(error);
                                    }
                                });
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                })
                .runSubscriptionOn(sender)
                .invoke(() -> {
                    if (outage.compareAndSet(true, false)) {
                        LOG.infof("Publishing %s's health to %s again", service, Topics.ANALYTICS_HEALTH);
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    if (!closed && outage.compareAndSet(false, true)) {
                        // The exception names the topic and the timeout, never the client's configuration.
                        LOG.warnf("Cannot publish %s's health to %s (%s); retrying at every check, logged once "
                                + "until it succeeds", service, Topics.ANALYTICS_HEALTH, e.toString());
                    }
                    return false;
                });
    }

    /** Whether the last attempt failed (an outage is in progress). */
    boolean inOutage() {
        return outage.get();
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        producer.close(Duration.ofSeconds(1));
    }
}
