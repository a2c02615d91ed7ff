package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
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
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Deletes what retention no longer needs (spec: DataRetentionPolicy.aggregatedMetrics): minute and hour rollup rows
 * past their level's horizon ({@link RollupRetention}), which no range reads any more and no metric is folded into;
 * day rows past the day horizon, but only of months whose month rows are stored (a month not stored yet keeps its
 * days, and ranges read them); day and month rows and the days' hour-of-day sums ({@code day_hour_sums}) past the
 * month horizon, which is the end of all retention; the users' daily counts ({@code user_hours},
 * {@code user_activity}) before the day horizon (each row's days before it dropped, rows without a later day
 * deleted; {@code day_counts_from}, V14); the ids of metrics too old to be delivered again
 * ({@code applied_metrics}) and the outcomes of executions as old ({@code execution_outcomes}, which dedupe
 * executions as the ids do metrics: an execution finished before that horizon is rejected by metrics-ingest and no
 * longer on the topic).
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
     * One chunk of a level's rows older than $2 (and not older than $4, if given): the (workflow, metric type,
     * grouping) prefixes of the primary key are walked one index probe each (a loose index scan; PostgreSQL 15 has no
     * skip scan), so that each prefix's old rows are an index range too, rather than every row of the table scanned
     * for its level and bucket.
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
                      AND r.level = $1 AND r.bucket < $2 AND ($4::timestamptz IS NULL OR r.bucket >= $4)
                    LIMIT $3) o
                LIMIT $3))""";

    private static final String STORED_MONTHS_BEFORE = """
            SELECT month FROM rollup_compacted_months WHERE stored AND month < $1 ORDER BY month""";

    private static final String PURGE_DAY_SUMS = """
            DELETE FROM day_hour_sums WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM day_hour_sums WHERE day < $1 LIMIT $2))""";

    /**
     * The users' tables ({@code user_hours}, {@code user_activity}) with their keys: rows are locked in key order, as
     * the outcome batches' upserts lock them, so that the two never deadlock.
     */
    private static final List<String[]> USER_TABLES = List.of(
            new String[] {"user_hours", "workflow_id, user_id, hour"},
            new String[] {"user_activity", "workflow_id, user_id, workflow_version, environment, region, device_type"});

    /** One chunk of a users' table's rows with no day from $1 (an epoch day) on. */
    private static final String PURGE_USER_ROWS = """
            DELETE FROM %1$s WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM %1$s WHERE array_upper(days, 1) < $1 ORDER BY %2$s LIMIT $2 FOR UPDATE))""";

    /** One chunk of a users' table's rows with days before $1 (and later ones): those days dropped. */
    private static final String TRIM_USER_DAYS = """
            UPDATE %1$s SET days = day_counts_from(days, $1) WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM %1$s WHERE array_lower(days, 1) < $1 AND array_upper(days, 1) >= $1
                ORDER BY %2$s LIMIT $2 FOR UPDATE))""";

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
    public record Purged(long minuteRows, long hourRows, long dayRows, long monthRows, long daySums, long userRows,
                         long appliedIds, long outcomes) {
        static final Purged NONE = new Purged(0, 0, 0, 0, 0, 0, 0, 0);

        long total() {
            return minuteRows + hourRows + dayRows + monthRows + daySums + userRows + appliedIds + outcomes;
        }
    }

    /** Deletes everything past its horizon, chunk by chunk; nothing when another replica holds the lock. */
    public Uni<Purged> purge() {
        return SessionLock.run(pool, LOCK, Purged.NONE, conn -> {
            Instant now = clock.instant();
            Instant seen = now.minus(MARGIN);
            Instant days = RollupRetention.horizon(RollupLevel.DAY, seen);
            Instant months = RollupRetention.horizon(RollupLevel.MONTH, seen);
            Instant ids = now.minus(appliedIds);
            long[] n = new long[8];
            return level(conn, RollupLevel.MINUTE, null, RollupRetention.horizon(RollupLevel.MINUTE, seen))
                    .invoke(d -> n[0] = d)
                    .chain(() -> level(conn, RollupLevel.HOUR, null, RollupRetention.horizon(RollupLevel.HOUR, seen)))
                    .invoke(d -> n[1] = d)
                    .chain(() -> storedDays(conn, days))
                    .chain(d -> level(conn, RollupLevel.DAY, null, months).map(e -> d + e))
                    .invoke(d -> n[2] = d)
                    .chain(() -> level(conn, RollupLevel.MONTH, null, months))
                    .invoke(d -> n[3] = d)
                    .chain(() -> inChunks(conn, PURGE_DAY_SUMS, Tuple.of(LocalDate.ofInstant(months, ZoneOffset.UTC),
                            (long) chunk), 0))
                    .invoke(d -> n[4] = d)
                    .chain(() -> userDays(conn, (int) LocalDate.ofInstant(days, ZoneOffset.UTC).toEpochDay()))
                    .invoke(d -> n[5] = d)
                    .chain(() -> inChunks(conn, PURGE_APPLIED, Tuple.of(utc(ids), (long) chunk), 0))
                    .invoke(d -> n[6] = d)
                    .chain(() -> inChunks(conn, PURGE_OUTCOMES, Tuple.of(utc(ids), (long) chunk), 0))
                    .map(d -> new Purged(n[0], n[1], n[2], n[3], n[4], n[5], n[6], d))
                    .invoke(this::record);
        });
    }

    /** A level's rows in [from, to) (from the oldest when {@code from} is null). */
    private Uni<Long> level(SqlConnection conn, RollupLevel level, Instant from, Instant to) {
        return inChunks(conn, PURGE_LEVEL, Tuple.of(level.wire(), utc(to), (long) chunk,
                from == null ? null : utc(from)), 0);
    }

    /** The users' days before {@code firstDay} (an epoch day) in both users' tables: rows deleted plus rows trimmed. */
    private Uni<Long> userDays(SqlConnection conn, int firstDay) {
        Tuple params = Tuple.of(firstDay, (long) chunk);
        return Multi.createFrom().iterable(USER_TABLES)
                .onItem().transformToUniAndConcatenate(t -> inChunks(conn, PURGE_USER_ROWS.formatted(t[0], t[1]),
                        params, 0).chain(deleted -> inChunks(conn, TRIM_USER_DAYS.formatted(t[0], t[1]), params, 0)
                        .map(trimmed -> deleted + trimmed)))
                .collect().with(Collectors.summingLong(Long::longValue));
    }

    /** The day rows before {@code horizon} of stored months, each run of consecutive stored months at once. */
    private Uni<Long> storedDays(SqlConnection conn, Instant horizon) {
        return conn.preparedQuery(STORED_MONTHS_BEFORE).execute(Tuple.of(LocalDate.ofInstant(horizon, ZoneOffset.UTC)))
                .chain(rows -> {
                    List<Instant[]> runs = new ArrayList<>();
                    rows.forEach(r -> {
                        Instant month = r.getLocalDate(0).atStartOfDay(ZoneOffset.UTC).toInstant();
                        Instant[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                        if (last != null && last[1].equals(month)) {
                            last[1] = RollupLevel.MONTH.next(month);
                        } else {
                            runs.add(new Instant[] {month, RollupLevel.MONTH.next(month)});
                        }
                    });
                    return Multi.createFrom().iterable(runs)
                            .onItem().transformToUniAndConcatenate(run -> level(conn, RollupLevel.DAY, run[0], run[1]))
                            .collect().with(Collectors.summingLong(Long::longValue));
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
        registry.counter("wa.rollup.purged", "table", "metric_rollups", "level", "day").increment(purged.dayRows());
        registry.counter("wa.rollup.purged", "table", "metric_rollups", "level", "month").increment(purged.monthRows());
        registry.counter("wa.rollup.purged", "table", "day_hour_sums", "level", "").increment(purged.daySums());
        registry.counter("wa.rollup.purged", "table", "user_days", "level", "").increment(purged.userRows());
        registry.counter("wa.rollup.purged", "table", "applied_metrics", "level", "").increment(purged.appliedIds());
        registry.counter("wa.rollup.purged", "table", "execution_outcomes", "level", "").increment(purged.outcomes());
        if (purged.total() > 0) {
            LOG.infof("purged past retention: %d minute, %d hour, %d day and %d month rollup rows, %d days' hour "
                    + "sums, %d users' rows' old days, %d applied metric ids and %d execution outcomes",
                    purged.minuteRows(), purged.hourRows(), purged.dayRows(), purged.monthRows(), purged.daySums(),
                    purged.userRows(), purged.appliedIds(), purged.outcomes());
        }
    }
}
