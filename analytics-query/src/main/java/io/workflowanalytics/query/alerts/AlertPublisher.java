package io.workflowanalytics.query.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.messaging.KafkaSends;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains the transactional outbox to analytics.alerts, keyed by workflowId, right after each transition's commit and
 * on a schedule for anything left (a broker outage, a crash between commit and send). Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} inside a transaction that also holds an advisory lock, so one drainer runs at a time
 * across replicas and each workflow's events leave in the order they were written; rows are deleted only after the
 * broker acknowledged them (acks=all, idempotent producer), so an event is published at least once and consumers
 * dedupe by eventId. A plain KafkaProducer, as metrics-ingest's EventPublisher, because the send must complete
 * inside the claiming transaction.
 */
@ApplicationScoped
public class AlertPublisher {

    private static final Logger LOG = Logger.getLogger(AlertPublisher.class);
    /** Advisory lock key: "alertbox" in ASCII. */
    private static final long LOCK = 0x616c657274626f78L;
    static final int BATCH = 500;
    private static final String CLAIM = "SELECT id, workflow_id, payload FROM alert_outbox ORDER BY id LIMIT "
            + BATCH + " FOR UPDATE SKIP LOCKED";

    private final Pool pool;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private final MeterRegistry registry;

    public AlertPublisher(Pool pool, MeterRegistry registry,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.pool = pool;
        this.registry = registry;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "analytics-query-alerts",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), new ByteArraySerializer());
        registry.gauge("wa.alerts.outbox.backlog", backlog);
    }

    /** Starts a drain unless one runs; then that one drains once more when it ends. */
    public void drainSoon() {
        if (!draining.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        drainAll().subscribe().with(sent -> finished(), e -> {
            LOG.warnf("publishing alert events failed, retried by the next drain: %s", e.toString());
            finished();
        });
    }

    private void finished() {
        draining.set(false);
        if (again.getAndSet(false)) {
            drainSoon();
        }
    }

    @Scheduled(every = "${wa.alerts.outbox.drain-every:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        drainSoon();
        return pool.preparedQuery("SELECT count(*) FROM alert_outbox").execute()
                .invoke(rows -> backlog.set(rows.iterator().next().getLong(0)))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Drains batch after batch until the outbox is empty (or another replica holds the drain). */
    Uni<Integer> drainAll() {
        return drainBatch().chain(n -> n == BATCH ? drainAll().map(m -> n + m) : Uni.createFrom().item(n));
    }

    private Uni<Integer> drainBatch() {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK)).chain(locked -> {
                    if (!locked.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(0);
                    }
                    return tx.query(CLAIM).execute().chain(rows -> {
                        List<Long> ids = new ArrayList<>();
                        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
                        for (Row r : rows) {
                            ids.add(r.getLong(0));
                            records.add(new ProducerRecord<>(Topics.ANALYTICS_ALERTS, r.getUUID(1).toString(),
                                    r.getString(2).getBytes(StandardCharsets.UTF_8)));
                        }
                        if (records.isEmpty()) {
                            return Uni.createFrom().item(0);
                        }
                        return KafkaSends.all(producer, () -> records).chain(() -> delete(tx, ids)).invoke(() -> registry
                                .counter("wa.alerts.published").increment(ids.size())).replaceWith(ids.size());
                    });
                }));
    }

    private static Uni<Void> delete(SqlClient tx, List<Long> ids) {
        return tx.preparedQuery("DELETE FROM alert_outbox WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
