package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Deletes what retention no longer needs (spec: DataRetentionPolicy.aggregatedMetrics): minute and hour rollup rows
 * past their level's horizon ({@link RollupRetention}), which no range reads any more and no metric is folded into,
 * the ids of metrics too old to be delivered again ({@code applied_metrics}) and the outcomes of executions as old
 * ({@code execution_outcomes}, which dedupe executions as the ids do metrics: an execution finished before that
 * horizon is rejected by metrics-ingest and no longer on the topic). Day rows are kept: months are derived from
 * them.
 * <p>
 * In chunks of {@code wa.rollup.purge.chunk} rows, so that a first run after a long history (or a shortened horizon)
 * never holds locks or builds a transaction of millions of rows; one replica at a time (an advisory lock).
 */
@ApplicationScoped
public class RollupPurge {

    private static final Logger LOG = Logger.getLogger(RollupPurge.class);
    /** Advisory lock key: "purgerup" in ASCII. */
    private static final long LOCK = 0x7075726765727570L;
    /**
     * Deleted a little after the horizon rather than at it: a view planned just before a purge may still read the
     * rows at the horizon's edge.
     */
    static final Duration MARGIN = Duration.ofHours(1);

    /**
     * One chunk of a level's rows older than $2: the (workflow, metric type, grouping) prefixes of the primary key are
     * walked one index probe each (a loose index scan; PostgreSQL 15 has no skip scan), so that each prefix's old rows
     * are an index range too, rather than every row of the table scanned for its level and bucket.
     */
    private static final String PURGE_LEVEL = """
            WITH RECURSIVE prefixes AS (
                (SELECT workflow_id, metric_type, dim_key FROM metric_rollups
                 ORDER BY workflow_id, metric_type, dim_key LIMIT 1)
                UNION ALL
                SELECT n.workflow_id, n.metric_type, n.dim_key FROM prefixes p
                CROSS JOIN LATERAL (
                    SELECT r.workflow_id, r.metric_type, r.dim_key FROM metric_rollups r
                    WHERE (r.workflow_id, r.metric_type, r.dim_key) > (p.workflow_id, p.metric_type, p.dim_key)
                    ORDER BY r.workflow_id, r.metric_type, r.dim_key LIMIT 1) n
            )
            DELETE FROM metric_rollups WHERE ctid = ANY(ARRAY(
                SELECT o.ctid FROM prefixes p
                CROSS JOIN LATERAL (
                    SELECT r.ctid FROM metric_rollups r
                    WHERE r.workflow_id = p.workflow_id AND r.metric_type = p.metric_type AND r.dim_key = p.dim_key
                      AND r.level = $1 AND r.bucket < $2
                    LIMIT $3) o
                LIMIT $3))""";

    private static final String PURGE_APPLIED = """
            DELETE FROM applied_metrics WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM applied_metrics WHERE "timestamp" < $1 LIMIT $2))""";

    /** One chunk of outcomes finished before $1, found per workflow from the time index (a loose index scan). */
    private static final String PURGE_OUTCOMES = """
            WITH RECURSIVE workflows AS (
                (SELECT workflow_id FROM execution_outcomes ORDER BY workflow_id LIMIT 1)
                UNION ALL
                SELECT n.workflow_id FROM workflows w
                CROSS JOIN LATERAL (
                    SELECT o.workflow_id FROM execution_outcomes o WHERE o.workflow_id > w.workflow_id
                    ORDER BY o.workflow_id LIMIT 1) n
            )
            DELETE FROM execution_outcomes WHERE ctid = ANY(ARRAY(
                SELECT o.ctid FROM workflows w
                CROSS JOIN LATERAL (
                    SELECT e.ctid FROM execution_outcomes e
                    WHERE e.workflow_id = w.workflow_id AND e.finished_at < $1
                    LIMIT $2) o
                LIMIT $2))""";

    private final Pool pool;
    private final MeterRegistry registry;
    private final boolean enabled;
    private final int chunk;
    private final Duration appliedIds;
    private final Clock clock = Clock.systemUTC();

    public RollupPurge(Pool pool, MeterRegistry registry,
                       @ConfigProperty(name = "wa.rollup.purge.enabled", defaultValue = "true") boolean enabled,
                       @ConfigProperty(name = "wa.rollup.purge.chunk", defaultValue = "5000") int chunk,
                       @ConfigProperty(name = "wa.rollup.retention.applied-ids-days", defaultValue = "127")
                       int appliedIdsDays) {
        if (chunk < 1 || appliedIdsDays < 1) {
            throw new IllegalArgumentException("wa.rollup.purge.chunk and wa.rollup.retention.applied-ids-days must "
                    + "be at least 1");
        }
        this.pool = pool;
        this.registry = registry;
        this.enabled = enabled;
        this.chunk = chunk;
        this.appliedIds = Duration.ofDays(appliedIdsDays);
    }

    @Scheduled(every = "${wa.rollup.purge.every:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return purge().onFailure().invoke(e -> LOG.warnf("rollup purge failed, retried next tick: %s", e.toString()))
                .onFailure().recoverWithItem(Purged.NONE).replaceWithVoid();
    }

    /** What one pass deleted. */
    public record Purged(long minuteRows, long hourRows, long appliedIds, long outcomes) {
        static final Purged NONE = new Purged(0, 0, 0, 0);
    }

    /** Deletes everything past its horizon, chunk by chunk; nothing when another replica holds the lock. */
    public Uni<Purged> purge() {
        return SessionLock.run(pool, LOCK, Purged.NONE, conn -> {
            Instant minutes = RollupRetention.horizon(RollupLevel.MINUTE).minus(MARGIN);
            Instant hours = RollupRetention.horizon(RollupLevel.HOUR).minus(MARGIN);
            Instant ids = clock.instant().minus(appliedIds);
            return inChunks(conn, PURGE_LEVEL, Tuple.of(RollupLevel.MINUTE.wire(), utc(minutes), (long) chunk), 0)
                    .chain(m -> inChunks(conn, PURGE_LEVEL, Tuple.of(RollupLevel.HOUR.wire(), utc(hours),
                                    (long) chunk), 0)
                            .chain(h -> inChunks(conn, PURGE_APPLIED, Tuple.of(utc(ids), (long) chunk), 0)
                                    .chain(a -> inChunks(conn, PURGE_OUTCOMES, Tuple.of(utc(ids), (long) chunk), 0)
                                            .map(o -> new Purged(m, h, a, o)))))
                    .invoke(this::record);
        });
    }

    /** A chunked delete (its last parameter the chunk size) run until a chunk comes back short; rows deleted. */
    private Uni<Long> inChunks(SqlConnection conn, String sql, Tuple params, long deleted) {
        return conn.preparedQuery(sql).execute(params)
                .chain(rows -> rows.rowCount() < chunk ? Uni.createFrom().item(deleted + rows.rowCount())
                        : inChunks(conn, sql, params, deleted + rows.rowCount()));
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private void record(Purged purged) {
        registry.counter("wa.rollup.purged", "table", "metric_rollups", "level", "minute")
                .increment(purged.minuteRows());
        registry.counter("wa.rollup.purged", "table", "metric_rollups", "level", "hour").increment(purged.hourRows());
        registry.counter("wa.rollup.purged", "table", "applied_metrics", "level", "").increment(purged.appliedIds());
        registry.counter("wa.rollup.purged", "table", "execution_outcomes", "level", "").increment(purged.outcomes());
        if (purged.minuteRows() + purged.hourRows() + purged.appliedIds() + purged.outcomes() > 0) {
            LOG.infof("purged %d minute and %d hour rollup rows, %d applied metric ids and %d execution outcomes "
                    + "past retention", purged.minuteRows(), purged.hourRows(), purged.appliedIds(), purged.outcomes());
        }
    }
}
