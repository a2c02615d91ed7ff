package io.workflowanalytics.query.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.time.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The spec's AnalyticsSchedule: once per completed period (wa.analysis.frequency), stores each configured analysis
 * for every workflow that ran in it. Replicas take a PostgreSQL advisory lock so one of them does the work, and a
 * stored row is never written twice, so a restart or a second replica repeats nothing.
 */
@ApplicationScoped
public class AnalysisScheduleJob {

    private static final Logger LOG = Logger.getLogger(AnalysisScheduleJob.class);
    /** Advisory lock key: "analyses" in ASCII. */
    private static final long LOCK = 0x616e616c79736573L;

    private static final String ACTIVE_WORKFLOWS = """
            SELECT DISTINCT workflow_id FROM metric_rollups
            WHERE metric_type = 'execution_count' AND dim_key = '' AND level = 'hour'
              AND bucket >= $1 AND bucket < $2""";

    private final Pool pool;
    private final AnalysisScheduleConfig config;
    private final List<AnalysisWriter> writers = new ArrayList<>();
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;

    public AnalysisScheduleJob(Pool pool, AnalysisScheduleConfig config, Instance<AnalysisWriter> all,
                               MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.registry = registry;
        for (AnalysisWriter w : all) {
            if (config.types().contains(w.type())) {
                writers.add(w);
            }
        }
        AnalysisPeriods.lastCompleted(config.frequency(), clock.instant()); // fails start-up on a bad frequency
    }

    @Scheduled(every = "${wa.analysis.check-every:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return run(AnalysisPeriods.lastCompleted(config.frequency(), clock.instant()))
                .onFailure().invoke(e -> LOG.warnf("scheduled analyses failed, retried next tick: %s", e.toString()))
                .onFailure().recoverWithItem(0).replaceWithVoid();
    }

    /** Stores the analyses of one period for every workflow active in it; returns the number of rows written. */
    public Uni<Integer> run(TimeRange period) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK)).chain(locked -> {
                    if (!locked.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(0);
                    }
                    return tx.preparedQuery(ACTIVE_WORKFLOWS).execute(Tuple.of(
                                    period.start().atOffset(ZoneOffset.UTC), period.end().atOffset(ZoneOffset.UTC)))
                            .chain(rows -> {
                                List<UUID> workflows = new ArrayList<>();
                                for (Row row : rows) {
                                    workflows.add(row.getUUID(0));
                                }
                                // One workflow and analysis at a time: a background job must not crowd out requests.
                                return Multi.createFrom().iterable(workflows)
                                        .onItem().transformToUniAndConcatenate(wf -> Multi.createFrom()
                                                .iterable(writers)
                                                .onItem().transformToUniAndConcatenate(w -> w.write(tx, wf, period))
                                                .collect().with(java.util.stream.Collectors.summingInt(n -> n)))
                                        .collect().with(java.util.stream.Collectors.summingInt(n -> n));
                            });
                })).invoke(written -> {
                    if (written > 0) {
                        registry.counter("wa.analysis.rows.written").increment(written);
                        LOG.infof("stored %d analyses for %s", written, period);
                    }
                });
    }
}
