package io.workflowanalytics.ingest.pipeline;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.workflowanalytics.common.messaging.InFlightWindow;
import io.workflowanalytics.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Consumes the runtime engines' input topics in batches (one shared consumer group) and acknowledges a batch only
 * once the pipeline made it durable; the throttled commit strategy then commits the offsets up to the oldest batch
 * not yet acknowledged. A poison record is dead-lettered by the pipeline, never thrown: the consumer never stops on
 * bad input.
 * <p>
 * Metrics batches overlap: up to {@code wa.ingest.metrics-batches-in-flight} are processed at once (the store is
 * idempotent and order-insensitive for metrics), and the next batch is taken only when a slot is free, which keeps
 * back-pressure and memory bounded. Execution batches overlap too (up to
 * {@code wa.ingest.executions-batches-in-flight}): their upsert converges whatever the order of a lifecycle's events,
 * and each batch publishes only after the one before it has, so lifecycle events keep their order on
 * analytics.executions.
 */
@ApplicationScoped
public class InputConsumer {

    private static final Logger LOG = Logger.getLogger(InputConsumer.class);

    private final IngestPipeline pipeline;
    private final InFlightWindow metricsWindow;
    private final InFlightWindow executionsWindow;
    /** Completes when the latest executions batch has published its events (guarded by this). */
    private CompletableFuture<Void> lastExecutionsPublished = CompletableFuture.completedFuture(null);

    public InputConsumer(IngestPipeline pipeline, IngestConfig config) {
        this.pipeline = pipeline;
        this.metricsWindow = new InFlightWindow(config.metricsBatchesInFlight());
        this.executionsWindow = new InFlightWindow(config.executionsBatchesInFlight());
    }

    @Incoming("workflow-metrics")
    public Uni<Void> metrics(KafkaRecordBatch<String, byte[]> batch) {
        List<InputRecord> records = inputs(batch);
        return metricsWindow.admit().invoke(() -> pipeline.metrics(records)
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .eventually(metricsWindow::release)
                .subscribe().with(done -> { }, e -> {
                    // Only a defect gets here (outages are retried, bad data dead-lettered): fail the channel so that
                    // readiness shows it, rather than leave the batch's offsets silently uncommitted.
                    LOG.error("a metrics batch failed outside the retried steps", e);
                    batch.nack(e);
                }));
    }

    @Incoming("workflow-executions")
    public Uni<Void> executions(KafkaRecordBatch<String, byte[]> batch) {
        List<InputRecord> records = inputs(batch);
        return executionsWindow.admit().invoke(() -> {
            // Each batch publishes after the one before it has: the turn passes on in arrival order.
            CompletableFuture<Void> published = new CompletableFuture<>();
            CompletableFuture<Void> previous;
            synchronized (this) {
                previous = lastExecutionsPublished;
                lastExecutionsPublished = published;
            }
            pipeline.executions(records, Uni.createFrom().completionStage(previous))
                    .eventually(() -> published.complete(null))
                    .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                    .eventually(executionsWindow::release)
                    .subscribe().with(done -> { }, e -> {
                        LOG.error("an executions batch failed outside the retried steps", e);
                        batch.nack(e);
                    });
        });
    }

    private static List<InputRecord> inputs(KafkaRecordBatch<String, byte[]> batch) {
        List<InputRecord> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> r : batch) {
            long offset = r.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                    .orElse(-1L);
            records.add(new InputRecord(r.getTopic(), r.getPartition(), offset, r.getKey(), r.getPayload()));
        }
        return records;
    }
}
