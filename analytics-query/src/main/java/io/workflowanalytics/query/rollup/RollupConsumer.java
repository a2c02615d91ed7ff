package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.Uuids;
import io.workflowanalytics.common.messaging.InFlightWindow;
import io.workflowanalytics.query.alerts.AlertEvaluator;
import io.workflowanalytics.query.cache.ViewCache;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Consumes analytics.metrics and analytics.executions (one shared consumer group, so each event is rolled up once
 * across replicas) into the rollups and execution outcomes. A batch is acknowledged only after its transaction
 * committed, and a database outage is retried without limit rather than skipped: offsets never pass data that is
 * not in the rollups. Metrics batches overlap (up to {@code wa.rollup.batches-in-flight}, parsed on a worker thread):
 * the rollup update is commutative and deduplicated by id, so their order does not matter, and while one batch waits
 * on PostgreSQL the next one is read. Records that cannot be read (they passed metrics-ingest's validation, so this means a
 * producer outside the contract) are counted and logged, never allowed to stop the consumer.
 */
@ApplicationScoped
public class RollupConsumer {

    private static final Logger LOG = Logger.getLogger(RollupConsumer.class);

    private final RollupRepository repository;
    private final InFlightWindow window;
    private final ViewCache cache;
    private final AlertEvaluator alerts;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter unreadable;
    private final Timer batchTime;

    public RollupConsumer(RollupRepository repository, ViewCache cache, AlertEvaluator alerts, MeterRegistry registry,
                          @ConfigProperty(name = "wa.rollup.batches-in-flight", defaultValue = "2") int inFlight) {
        this.repository = repository;
        this.window = new InFlightWindow(inFlight);
        this.cache = cache;
        this.alerts = alerts;
        this.applied = registry.counter("wa.rollup.metrics.applied");
        this.duplicates = registry.counter("wa.rollup.metrics.duplicates");
        this.unreadable = registry.counter("wa.rollup.records.unreadable");
        this.batchTime = registry.timer("wa.rollup.batch.duration");
    }

    @Incoming("analytics-metrics")
    public Uni<Void> metrics(KafkaRecordBatch<String, byte[]> batch) {
        return window.admit().invoke(() -> apply(batch)
                .eventually(window::release)
                .subscribe().with(done -> { }, e -> {
                    // Only a defect gets here (outages are retried): fail the channel so that readiness shows it.
                    LOG.error("a metrics batch failed outside the retried steps", e);
                    batch.nack(e);
                }));
    }

    private Uni<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        long started = System.nanoTime();
        return Uni.createFrom().item(() -> read(batch, AnalyticsMetric.class))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(metrics -> durably(repository.apply(metrics)).map(done -> {
                    applied.increment(done.metrics());
                    duplicates.increment(metrics.size() - done.metrics());
                    batchTime.record(Duration.ofNanos(System.nanoTime() - started));
                    // Every workflow of the batch, those of duplicates too (see RollupBatch.touch).
                    return done.workflows();
                }))
                .call(cache::invalidate)
                // Evaluated asynchronously, once per workflow and min-interval: the batch is acknowledged at once.
                .invoke(alerts::touched)
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    @Incoming("analytics-executions")
    public Uni<Void> executions(KafkaRecordBatch<String, byte[]> batch) {
        // Parsed on a worker, as metrics are: a batch of events is too much JSON for the event loop.
        return Uni.createFrom().item(() -> read(batch, ExecutionEvent.class))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(events -> {
                    // Views read outcomes too (MTTR, examples, users): their cache goes stale with them.
                    Set<UUID> workflows = new HashSet<>();
                    events.forEach(e -> workflows.add(UUID.fromString(e.workflowId())));
                    return durably(repository.recordOutcomes(events)).call(() -> cache.invalidate(workflows))
                            .invoke(() -> alerts.touched(workflows));
                })
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private <T> Uni<T> durably(Uni<T> step) {
        return step.onFailure().invoke(e -> LOG.warnf("rollup write failed, retrying: %s", e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private static boolean complete(AnalyticsMetric m) {
        return uuid(m.id()) && uuid(m.workflowId()) && m.metricType() != null && m.value() != null
                && Double.isFinite(m.value()) && m.timestamp() != null;
    }

    /** What the outcomes' insert parses and needs; anything else is skipped here rather than fail every retry. */
    private static boolean complete(ExecutionEvent e) {
        return e.type() != null && uuid(e.workflowId()) && uuid(e.executionId())
                && (e.type() == io.workflowanalytics.common.events.ExecutionEventType.EXECUTION_STARTED
                || e.finishedAt() != null);
    }

    /**
     * Ids are parsed as UUIDs in the rollup transaction: one that is not must be skipped here, not fail a batch.
     * The contract's form (metrics-ingest accepts no other), checked without parsing each id a second time.
     */
    private static boolean uuid(String text) {
        return Uuids.isLowerCase(text);
    }

    private <T> List<T> read(KafkaRecordBatch<String, byte[]> batch, Class<T> type) {
        List<T> out = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> r : batch) {
            try {
                T event = EventJson.fromBytes(r.getPayload(), type);
                if (event instanceof AnalyticsMetric m && !complete(m)) {
                    throw new IllegalArgumentException("metric without a UUID id or workflowId, or without "
                            + "metricType, a finite value or timestamp");
                }
                if (event instanceof ExecutionEvent e && !complete(e)) {
                    throw new IllegalArgumentException("execution event without a type, a UUID workflowId or "
                            + "executionId, or (an outcome) without finishedAt");
                }
                out.add(event);
            } catch (Exception e) {
                unreadable.increment();
                LOG.errorf("skipping unreadable record %s-%d: %s", r.getTopic(), r.getPartition(), e.getMessage());
            }
        }
        return out;
    }
}
