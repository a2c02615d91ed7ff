package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Rewrites the hour and day rollup rows of each closed UTC day in key order, workflow by workflow, so that what a
 * view reads of one workflow over weeks lies on few pages. Batches create a workflow's rows of a day one new
 * dimension value at a time, between its hour rows and other workflows' rows (3 of its rows per 8 kB page, where a
 * page holds ~21), and a page that is not in {@code shared_buffers} costs far more than the rows on it (see
 * docs/benchmarks.md, 2026-12-03 afternoon): rewritten, a 90-day breakdown read 6× fewer pages.
 * <p>
 * One statement per workflow and run of up to {@value #MAX_DAYS_PER_STATEMENT} consecutive due days ({@code DELETE
 * … RETURNING} into {@code INSERT … ORDER BY} the key), so every transaction is bounded and a view sees its rows
 * either all before or all after. A row the consumer updates
 * meanwhile is left where it is (its new version no longer matches the statement's row ids) and keeps its count;
 * a metric that arrives for a rewritten day is added to its row in place. A day is rewritten once, when it has been
 * closed for {@code wa.rollup.compaction.grace} (late metrics of the day mostly in), newest first, back to the
 * hour level's horizon (older days have no hour rows and views rarely read them); done days are listed in
 * {@code rollup_compacted_days} (a day without rows is not: its data may be still to come). After a run that
 * rewrote days, each workflow's users' daily counts (user_hours, user_activity: not kept per day) are rewritten in
 * key order too. One replica at a time (an advisory lock).
 */
@ApplicationScoped
public class RollupCompaction {

    private static final Logger LOG = Logger.getLogger(RollupCompaction.class);
    /** Advisory lock key: "compactr" in ASCII. */
    private static final long LOCK = 0x636f6d7061637472L;

    /** Every workflow with rollups: the primary key's first column walked one index probe per value. */
    private static final String WORKFLOWS = """
            WITH RECURSIVE w AS (
                (SELECT workflow_id FROM metric_rollups ORDER BY workflow_id LIMIT 1)
                UNION ALL
                SELECT (SELECT r.workflow_id FROM metric_rollups r WHERE r.workflow_id > w.workflow_id
                        ORDER BY r.workflow_id LIMIT 1)
                FROM w WHERE w.workflow_id IS NOT NULL
            )
            SELECT workflow_id FROM w WHERE workflow_id IS NOT NULL""";

    /**
     * One workflow's hour and day rows of the days [$2, $3), and its day_hour_sums rows of those days, rewritten in
     * key order; rollup rows per day. The rows are found
     * through the workflow's (metric type, grouping) prefixes of the primary key, each an index range (as RollupPurge
     * does). Several days at once: their rows go back into the primary key in its own order, a few leaf pages after
     * another, where a day at a time touched every prefix's leaf page once per day (19 s a day of 53 workflows
     * against 2 s a day in runs of 31 days, measured).
     */
    private static final String REWRITE = """
            WITH RECURSIVE prefixes AS (
                (SELECT metric_type, dim_key FROM metric_rollups WHERE workflow_id = $1
                 ORDER BY workflow_id, metric_type, dim_key LIMIT 1)
                UNION ALL
                SELECT n.metric_type, n.dim_key FROM prefixes p
                CROSS JOIN LATERAL (
                    SELECT r.metric_type, r.dim_key FROM metric_rollups r
                    WHERE r.workflow_id = $1
                      AND (r.workflow_id, r.metric_type, r.dim_key) > ($1, p.metric_type, p.dim_key)
                    ORDER BY r.workflow_id, r.metric_type, r.dim_key LIMIT 1) n
            ), moved AS (
                DELETE FROM metric_rollups WHERE ctid = ANY(ARRAY(
                    SELECT r.ctid FROM prefixes p
                    JOIN metric_rollups r ON r.workflow_id = $1 AND r.metric_type = p.metric_type
                     AND r.dim_key = p.dim_key AND r.level IN ('day', 'hour') AND r.bucket >= $2 AND r.bucket < $3))
                RETURNING *
            ), placed AS (
                INSERT INTO metric_rollups SELECT * FROM moved ORDER BY metric_type, dim_key, level, bucket, dim_value
                RETURNING bucket
            ), moved_hour_sums AS (
                DELETE FROM day_hour_sums
                WHERE workflow_id = $1 AND day >= ($2 AT TIME ZONE 'UTC')::date AND day < ($3 AT TIME ZONE 'UTC')::date
                RETURNING *
            ), placed_hour_sums AS (
                INSERT INTO day_hour_sums SELECT * FROM moved_hour_sums ORDER BY metric_type, day
            )
            SELECT (bucket AT TIME ZONE 'UTC')::date, count(*) FROM placed GROUP BY 1""";

    /**
     * One workflow's users' daily counts (V7), rewritten in key order: outcome batches move a row whenever its page
     * has no room for its new version (V12). One statement per table, in its own transaction. The rows are locked in
     * key order first, as the outcomes' upsert locks them, so that the two never wait on each other in a cycle (a
     * plain DELETE locks them in the order a bitmap scan of the heap finds them).
     */
    private static final String REWRITE_USER_HOURS = """
            WITH moved AS (
                DELETE FROM user_hours WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM user_hours WHERE workflow_id = $1 ORDER BY user_id, hour FOR UPDATE))
                RETURNING *)
            INSERT INTO user_hours SELECT * FROM moved ORDER BY user_id, hour""";
    private static final String REWRITE_USER_ACTIVITY = """
            WITH moved AS (
                DELETE FROM user_activity WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM user_activity WHERE workflow_id = $1
                    ORDER BY user_id, workflow_version, environment, region, device_type FOR UPDATE))
                RETURNING *)
            INSERT INTO user_activity SELECT * FROM moved
            ORDER BY user_id, workflow_version, environment, region, device_type""";

    private static final String DONE_DAYS = "SELECT day FROM rollup_compacted_days WHERE day >= $1";
    private static final String RECORD_DAY = """
            INSERT INTO rollup_compacted_days (day, workflows, rows) VALUES ($1, $2, $3)
            ON CONFLICT (day) DO UPDATE SET workflows = excluded.workflows, rows = excluded.rows,
                                            finished_at = now()""";

    private final Pool pool;
    private final ConsumerLag lag;
    private final MeterRegistry registry;
    private final boolean enabled;
    private final Duration grace;
    private final long maxLag;
    private final Clock clock = Clock.systemUTC();

    public RollupCompaction(Pool pool, ConsumerLag lag, MeterRegistry registry,
                            @ConfigProperty(name = "wa.rollup.compaction.enabled", defaultValue = "true")
                            boolean enabled,
                            @ConfigProperty(name = "wa.rollup.compaction.grace", defaultValue = "PT1H")
                            Duration grace,
                            @ConfigProperty(name = "wa.rollup.compaction.max-lag", defaultValue = "100000")
                            long maxLag) {
        if (grace.isNegative() || maxLag < 0) {
            throw new IllegalArgumentException("wa.rollup.compaction.grace and max-lag must not be negative");
        }
        this.pool = pool;
        this.lag = lag;
        this.registry = registry;
        this.enabled = enabled;
        this.grace = grace;
        this.maxLag = maxLag;
    }

    /**
     * Waits while the consumer group is more than {@code wa.rollup.compaction.max-lag} records behind: a backlog may
     * still hold metrics of the closed days, which would land beside their rewritten rows.
     */
    @Scheduled(every = "${wa.rollup.compaction.every:10m}", delayed = "${wa.rollup.compaction.delay:2m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return lag.metrics().chain(behind -> {
                    if (behind > maxLag) {
                        LOG.debugf("rollup compaction waits: the consumer is %d records behind", behind);
                        return Uni.createFrom().item(List.<Day>of());
                    }
                    return compact();
                })
                .onFailure().invoke(e -> LOG.warnf("rollup compaction failed, retried next tick: %s", e.toString()))
                .onFailure().recoverWithItem(List.of()).replaceWithVoid();
    }

    /** What the rewrite of a day did. */
    public record Day(LocalDate day, int workflows, long rows) {
    }

    /** At most this many days per statement: a bounded transaction however long the history to catch up on. */
    static final int MAX_DAYS_PER_STATEMENT = 31;

    /**
     * Rewrites every closed day not rewritten yet, newest first; the days done. Nothing when another replica holds
     * the lock.
     */
    public Uni<List<Day>> compact() {
        return SessionLock.run(pool, LOCK, List.<Day>of(), conn -> {
            List<LocalDate> closed = closedDays(clock.instant());
            if (closed.isEmpty()) {
                return Uni.createFrom().item(List.<Day>of());
            }
            LocalDate oldest = closed.get(closed.size() - 1);
            return conn.preparedQuery(DONE_DAYS).execute(Tuple.of(oldest)).chain(rows -> {
                Set<LocalDate> done = new HashSet<>();
                rows.forEach(r -> done.add(r.getLocalDate(0)));
                List<LocalDate> due = due(closed, done);
                if (due.isEmpty()) {
                    return Uni.createFrom().item(List.<Day>of());
                }
                return conn.query(WORKFLOWS).execute().chain(found -> {
                    List<UUID> workflows = new ArrayList<>();
                    found.forEach(r -> workflows.add(r.getUUID(0)));
                    return Multi.createFrom().iterable(runs(due, MAX_DAYS_PER_STATEMENT))
                            .onItem().transformToUniAndConcatenate(run -> rewrite(conn, run, workflows))
                            .collect().asList().map(days -> days.stream().flatMap(List::stream).toList())
                            // Once a day, with the day that closed: the users' rows are not kept per day.
                            .call(days -> days.isEmpty() ? Uni.createFrom().voidItem() : rewriteUsers(conn, workflows));
                });
            });
        });
    }

    /** The closed days not rewritten yet, newest first. */
    static List<LocalDate> due(List<LocalDate> closed, Set<LocalDate> done) {
        return closed.stream().filter(d -> !done.contains(d)).toList();
    }

    /** Days (newest first) as runs of consecutive days of at most {@code maxDays}: each run's first and last day. */
    static List<LocalDate[]> runs(List<LocalDate> days, int maxDays) {
        List<LocalDate[]> out = new ArrayList<>();
        for (LocalDate d : days) {
            LocalDate[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last[0].minusDays(1).equals(d)
                    && ChronoUnit.DAYS.between(last[0], last[1]) + 1 < maxDays) {
                last[0] = d;
            } else {
                out.add(new LocalDate[] {d, d});
            }
        }
        return out;
    }

    /** The closed days to rewrite at {@code now}, newest first: yesterday (after the grace) back to the horizon. */
    List<LocalDate> closedDays(Instant now) {
        LocalDate newest = LocalDate.ofInstant(now.minus(grace), ZoneOffset.UTC).minusDays(1);
        LocalDate oldest = LocalDate.ofInstant(RollupRetention.horizon(RollupLevel.HOUR), ZoneOffset.UTC);
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = newest; !d.isBefore(oldest); d = d.minusDays(1)) {
            out.add(d);
        }
        return out;
    }

    /** Rewrites one workflow's hour and day rows of the days first..last in key order, in one transaction. */
    public Uni<Map<LocalDate, Long>> rewrite(LocalDate first, LocalDate last, UUID workflow) {
        return rewrite(pool, new LocalDate[] {first, last}, workflow);
    }

    private static Uni<Map<LocalDate, Long>> rewrite(SqlClient client, LocalDate[] run, UUID workflow) {
        OffsetDateTime from = run[0].atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = run[1].plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        // Autocommit: each statement its own transaction, which a view sees all of or none of.
        return client.preparedQuery(REWRITE).execute(Tuple.of(workflow, from, to)).map(rows -> {
            Map<LocalDate, Long> out = new TreeMap<>();
            rows.forEach(r -> out.put(r.getLocalDate(0), r.getLong(1)));
            return out;
        });
    }

    /** Rewrites one workflow's users' daily counts in key order; the rows rewritten (user_hours, user_activity). */
    public Uni<long[]> rewriteUsers(UUID workflow) {
        return rewriteUsers(pool, workflow);
    }

    private static Uni<long[]> rewriteUsers(SqlClient client, UUID workflow) {
        Tuple id = Tuple.of(workflow);
        return client.preparedQuery(REWRITE_USER_HOURS).execute(id).chain(hours -> client
                .preparedQuery(REWRITE_USER_ACTIVITY).execute(id)
                .map(activity -> new long[] {hours.rowCount(), activity.rowCount()}));
    }

    private Uni<Void> rewriteUsers(SqlConnection conn, List<UUID> workflows) {
        long started = System.nanoTime();
        long[] total = new long[2];
        return Multi.createFrom().iterable(workflows)
                .onItem().transformToUniAndConcatenate(w -> rewriteUsers(conn, w).invoke(n -> {
                    total[0] += n[0];
                    total[1] += n[1];
                }))
                .collect().last()
                .invoke(() -> LOG.infof("rewrote the users' daily counts in key order (%d user_hours and %d "
                        + "user_activity rows of %d workflows, %d ms)", total[0], total[1], workflows.size(),
                        (System.nanoTime() - started) / 1_000_000))
                .replaceWithVoid();
    }

    /** Every workflow's rows of a run of days, then the days recorded as done. */
    private Uni<List<Day>> rewrite(SqlConnection conn, LocalDate[] run, List<UUID> workflows) {
        long started = System.nanoTime();
        Map<LocalDate, Long> rows = new TreeMap<>();
        for (LocalDate d = run[0]; !d.isAfter(run[1]); d = d.plusDays(1)) {
            rows.put(d, 0L);
        }
        return Multi.createFrom().iterable(workflows)
                .onItem().transformToUniAndConcatenate(w -> rewrite(conn, run, w)
                        .invoke(moved -> moved.forEach((d, n) -> rows.merge(d, n, Long::sum))))
                .collect().last()
                // A day without rows stays due: a service started before its data (a backfill still to come)
                // must not have marked it done.
                .chain(() -> Multi.createFrom().iterable(rows.entrySet()).select().where(e -> e.getValue() > 0)
                        .onItem().transformToUniAndConcatenate(e -> conn.preparedQuery(RECORD_DAY)
                                .execute(Tuple.of(e.getKey(), workflows.size(), e.getValue()))
                                .map(done -> new Day(e.getKey(), workflows.size(), e.getValue())))
                        .collect().asList())
                .invoke(days -> {
                    if (days.isEmpty()) {
                        return;
                    }
                    long total = days.stream().mapToLong(Day::rows).sum();
                    registry.counter("wa.rollup.compacted.rows").increment(total);
                    registry.counter("wa.rollup.compacted.days").increment(days.size());
                    LOG.infof("rewrote the %d hour and day rollup rows of %s to %s in key order (%d workflows, %d ms)",
                            total, run[0], run[1], workflows.size(), (System.nanoTime() - started) / 1_000_000);
                });
    }
}
