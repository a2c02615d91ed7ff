package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.query.cache.ViewCache;
import jakarta.enterprise.context.ApplicationScoped;
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
 * not in the rollups. Records that cannot be read (they passed metrics-ingest's validation, so this means a
 * producer outside the contract) are counted and logged, never allowed to stop the consumer.
 */
@ApplicationScoped
public class RollupConsumer {

    private static final Logger LOG = Logger.getLogger(RollupConsumer.class);

    private final RollupRepository repository;
    private final ViewCache cache;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter unreadable;
    private final Timer batchTime;

    public RollupConsumer(RollupRepository repository, ViewCache cache, MeterRegistry registry) {
        this.repository = repository;
        this.cache = cache;
        this.applied = registry.counter("wa.rollup.metrics.applied");
        this.duplicates = registry.counter("wa.rollup.metrics.duplicates");
        this.unreadable = registry.counter("wa.rollup.records.unreadable");
        this.batchTime = registry.timer("wa.rollup.batch.duration");
    }

    @Incoming("analytics-metrics")
    public Uni<Void> metrics(KafkaRecordBatch<String, byte[]> batch) {
        List<AnalyticsMetric> metrics = read(batch, AnalyticsMetric.class);
        long started = System.nanoTime();
        return durably(repository.apply(metrics))
                .invoke(done -> {
                    applied.increment(done.metrics());
                    duplicates.increment(metrics.size() - done.metrics());
                    batchTime.record(Duration.ofNanos(System.nanoTime() - started));
                })
                .call(done -> cache.invalidate(done.workflows()))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    @Incoming("analytics-executions")
    public Uni<Void> executions(KafkaRecordBatch<String, byte[]> batch) {
        List<ExecutionEvent> events = read(batch, ExecutionEvent.class);
        // Views read outcomes too (MTTR, examples, users): their cache goes stale with them.
        Set<UUID> workflows = new HashSet<>();
        events.forEach(e -> workflows.add(UUID.fromString(e.workflowId())));
        return durably(repository.recordOutcomes(events))
                .call(() -> cache.invalidate(workflows))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private <T> Uni<T> durably(Uni<T> step) {
        return step.onFailure().invoke(e -> LOG.warnf("rollup write failed, retrying: %s", e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private static boolean complete(AnalyticsMetric m) {
        return m.id() != null && m.workflowId() != null && m.metricType() != null && m.value() != null
                && m.timestamp() != null;
    }

    private <T> List<T> read(KafkaRecordBatch<String, byte[]> batch, Class<T> type) {
        List<T> out = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> r : batch) {
            try {
                T event = EventJson.fromBytes(r.getPayload(), type);
                if (event instanceof AnalyticsMetric m && !complete(m)) {
                    throw new IllegalArgumentException("metric without id, workflowId, metricType, value or timestamp");
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
