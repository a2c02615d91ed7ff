package io.workflowanalytics.ingest.pipeline;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.ingest.pipeline.EventPublisher.Rejected;
import io.workflowanalytics.ingest.validation.InputValidator;
import io.workflowanalytics.ingest.validation.InputValidator.Checked;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The write path for one batch of input records: validate, dead-letter the rejects, store the valid records
 * idempotently, then publish them normalised. The returned Uni completes only when all of that is durable, which is
 * when the caller may commit the batch's offsets. Database or broker outages are retried with back-off for as long
 * as they last: the consumer then stops fetching (back-pressure) instead of losing or buffering records.
 */
@ApplicationScoped
public class IngestPipeline {

    private static final Logger LOG = Logger.getLogger(IngestPipeline.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final InputValidator validator;
    private final RawStoreRepository store;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;

    public IngestPipeline(InputValidator validator, RawStoreRepository store, EventPublisher publisher,
                          IngestMetrics metrics) {
        this.validator = validator;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public Uni<Void> metrics(List<InputRecord> records) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        return sort(records, r -> validator.metric(r.value(), now)).chain(sorted ->
                durably("dead-lettering", publisher.deadLetter(sorted.rejected()))
                        .chain(() -> durably("storing metrics", store.storeMetrics(sorted.valid())))
                        .call(() -> durably("publishing metrics", publisher.publishMetrics(sorted.valid())))
                        .invoke(inserted -> metrics.batch(Topics.WORKFLOW_METRICS, inserted,
                                sorted.valid().size() - inserted, sorted.rejected().size(), since(started)))
                        .replaceWithVoid());
    }

    public Uni<Void> executions(List<InputRecord> records) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        return sort(records, r -> validator.execution(r.value(), now)).chain(sorted -> {
            List<AnalyticsMetric> implied = sorted.valid().stream()
                    .flatMap(e -> ExecutionMetrics.expand(e).stream()).toList();
            return durably("dead-lettering", publisher.deadLetter(sorted.rejected()))
                    .chain(() -> durably("storing executions", store.storeExecutions(sorted.valid(), implied)))
                    .call(() -> durably("publishing executions", publisher.publishExecutions(sorted.valid())))
                    .call(() -> durably("publishing implied metrics", publisher.publishMetrics(implied)))
                    .invoke(inserted -> metrics.batch(Topics.WORKFLOW_EXECUTIONS, sorted.valid().size(), 0,
                            sorted.rejected().size(), since(started)))
                    .replaceWithVoid();
        });
    }

    /** Valid records and rejects of a batch. Parsing runs on a worker thread: a batch is thousands of records. */
    private <T> Uni<Sorted<T>> sort(List<InputRecord> records, Function<InputRecord, Checked<T>> check) {
        return Uni.createFrom().item(() -> {
            List<T> valid = new ArrayList<>(records.size());
            List<Rejected> rejected = new ArrayList<>();
            for (InputRecord r : records) {
                Checked<T> checked = check.apply(r);
                if (checked.valid()) {
                    valid.add(checked.value());
                } else {
                    rejected.add(new Rejected(r, checked.rejection()));
                    metrics.rejected(r.topic(), checked.rejection().reason());
                }
            }
            return new Sorted<>(valid, rejected);
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private record Sorted<T>(List<T> valid, List<Rejected> rejected) {
    }

    /** Retries a step until it succeeds: nothing valid may be lost while a dependency is down. */
    private static <T> Uni<T> durably(String step, Uni<T> work) {
        return work.onFailure().invoke(e -> LOG.warnf("%s failed, retrying: %s", step, e.getMessage()))
                .onFailure().retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
