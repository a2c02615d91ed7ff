package io.workflowanalytics.ingest.pipeline;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.pgclient.PgException;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.ingest.pipeline.EventPublisher.Rejected;
import io.workflowanalytics.ingest.validation.InputValidator;
import io.workflowanalytics.ingest.validation.InputValidator.Checked;
import io.workflowanalytics.ingest.validation.RejectReason;
import io.workflowanalytics.ingest.validation.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The write path for one batch of input records: validate, dead-letter the rejects, store the valid records
 * idempotently (dead-lettering any the database still refuses), then publish them normalised. The returned Uni completes only when all of that is durable, which is
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
                        .chain(() -> store(sorted, store::storeMetrics))
                        .call(stored -> durably("dead-lettering refused records", publisher.deadLetter(stored.refused())))
                        .call(stored -> durably("publishing metrics", publisher.publishMetrics(stored.kept())))
                        .invoke(stored -> metrics.batch(Topics.WORKFLOW_METRICS, stored.inserted(),
                                stored.kept().size() - stored.inserted(),
                                sorted.rejected().size() + stored.refused().size(), since(started)))
                        .replaceWithVoid());
    }

    /**
     * @param turn completes when this batch may publish its execution events: when the batch before it has, so that
     *             lifecycle events keep their order on analytics.executions while batches overlap in validation and
     *             storing (the executions upsert converges whatever the order of its events)
     */
    public Uni<Void> executions(List<InputRecord> records, Uni<Void> turn) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        return sort(records, r -> validator.execution(r.value(), now)).chain(sorted ->
                durably("dead-lettering", publisher.deadLetter(sorted.rejected()))
                        .chain(() -> store(sorted, events -> store.storeExecutions(events, implied(events))))
                        .call(stored -> durably("dead-lettering refused records", publisher.deadLetter(stored.refused())))
                        .call(stored -> turn.chain(() -> Uni.combine().all().unis(
                                durably("publishing executions", publisher.publishExecutions(stored.kept())),
                                durably("publishing implied metrics", publisher.publishMetrics(implied(stored.kept()))))
                                .discardItems()))
                        .invoke(stored -> metrics.batch(Topics.WORKFLOW_EXECUTIONS, stored.kept().size(), 0,
                                sorted.rejected().size() + stored.refused().size(), since(started)))
                        .replaceWithVoid());
    }

    private static List<AnalyticsMetric> implied(List<ExecutionEvent> events) {
        return events.stream().flatMap(e -> ExecutionMetrics.expand(e).stream()).toList();
    }

    /** Valid records and rejects of a batch. Parsing runs on a worker thread: a batch is thousands of records. */
    private <T> Uni<Sorted<T>> sort(List<InputRecord> records, Function<InputRecord, Checked<T>> check) {
        return Uni.createFrom().item(() -> {
            List<T> valid = new ArrayList<>(records.size());
            List<InputRecord> origins = new ArrayList<>(records.size());
            List<Rejected> rejected = new ArrayList<>();
            for (InputRecord r : records) {
                Checked<T> checked = check.apply(r);
                if (checked.valid()) {
                    valid.add(checked.value());
                    origins.add(r);
                } else {
                    rejected.add(new Rejected(r, checked.rejection()));
                    metrics.rejected(r.topic(), checked.rejection().reason());
                }
            }
            return new Sorted<>(valid, origins, rejected);
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A batch after validation; {@code origins.get(i)} is the input record of {@code valid.get(i)}. */
    private record Sorted<T>(List<T> valid, List<InputRecord> origins, List<Rejected> rejected) {
    }

    /** A batch after storing: what was kept (stored now or before), how many were new, what the database refused. */
    private record Stored<T>(List<T> kept, int inserted, List<Rejected> refused) {
    }

    /**
     * Stores the batch in one statement. Should PostgreSQL refuse it for the data of some record (a data or integrity
     * exception that validation did not foresee), the records are stored one by one instead and the refused ones
     * dead-lettered, so that one record can never stall its channel. Any other failure (connection, timeout,
     * serialization) is retried with back-off until the database is back.
     */
    private <T> Uni<Stored<T>> store(Sorted<T> sorted, Function<List<T>, Uni<Integer>> write) {
        Uni<Stored<T>> all = Uni.createFrom().deferred(() -> write.apply(sorted.valid()))
                .map(inserted -> new Stored<>(sorted.valid(), inserted, List.of()));
        return durably("storing", all.onFailure(IngestPipeline::isDataFault).recoverWithUni(e -> {
            LOG.warnf("the database refused a batch of %d (%s); storing its records one by one",
                    sorted.valid().size(), e.getMessage());
            return oneByOne(sorted, write);
        }));
    }

    private <T> Uni<Stored<T>> oneByOne(Sorted<T> sorted, Function<List<T>, Uni<Integer>> write) {
        return Multi.createFrom().range(0, sorted.valid().size())
                .onItem().transformToUniAndConcatenate(i -> write.apply(List.of(sorted.valid().get(i)))
                        .map(inserted -> new Outcome(i, inserted, null))
                        .onFailure(IngestPipeline::isDataFault).recoverWithItem(e -> new Outcome(i, 0, e)))
                .collect().asList()
                .map(outcomes -> {
                    List<T> kept = new ArrayList<>();
                    List<Rejected> refused = new ArrayList<>();
                    int inserted = 0;
                    for (Outcome o : outcomes) {
                        if (o.fault() == null) {
                            kept.add(sorted.valid().get(o.index()));
                            inserted += o.inserted();
                        } else {
                            InputRecord origin = sorted.origins().get(o.index());
                            refused.add(new Rejected(origin, Rejection.of(RejectReason.INVALID_VALUE, "record",
                                    "refused by the database: " + o.fault().getMessage())));
                            metrics.rejected(origin.topic(), RejectReason.INVALID_VALUE);
                        }
                    }
                    return new Stored<>(kept, inserted, refused);
                });
    }

    private record Outcome(int index, int inserted, Throwable fault) {
    }

    /**
     * PostgreSQL's cardinality violations (class 21: an upsert meeting one row twice), data exceptions (class 22) and
     * integrity violations (class 23): retrying the batch cannot help; one record at a time can.
     */
    static boolean isDataFault(Throwable e) {
        return e instanceof PgException pg && pg.getSqlState() != null && (pg.getSqlState().startsWith("21")
                || pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
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
