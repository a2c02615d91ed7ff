package io.workflowanalytics.query.rollup;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.MetricType;
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
import java.util.Arrays;
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
 * <p>
 * Then each closed month (closed for the grace too) gets month rows, the sums of its day rows, so that a long range
 * reads a row per whole month instead of one per day ({@link StoredMonths}). To stay exact while metrics of the
 * month still arrive, the month is first listed in {@code rollup_compacted_months}: from then on every rollup batch
 * adds its metrics of the month to the month rows as well as to the days ({@link RollupRepository}). Each workflow's
 * month rows are then set to the sums of its day rows; the month is marked stored when all are, and views read it
 * from then on. Batches with metrics of past months hold {@link #MONTHS_LOCK} shared from before they read the list
 * until they commit; listing a month and setting a workflow's rows each take it exclusively, so that a batch either
 * committed before (its days are in the sums) or sees the listing (it adds to the month rows after they are set).
 * A month is filled from its oldest day row's month onwards, once; empty months are stored too (their rows, if
 * metrics come, are kept by the batches).
 */
@ApplicationScoped
public class RollupCompaction {

    private static final Logger LOG = Logger.getLogger(RollupCompaction.class);
    /** Advisory lock key: "compactr" in ASCII. */
    private static final long LOCK = 0x636f6d7061637472L;

    /** Transaction lock between batches with metrics of past months and the month rows' filling ("monthrup"). */
    static final long MONTHS_LOCK = 0x6d6f6e7468727570L;

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

    /** The workflow $1's (metric type, grouping) prefixes of the primary key, one index probe each. */
    private static final String PREFIXES = """
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
            ),""";

    /**
     * One workflow's hour and day rows of the days [$2, $3), and its day_hour_sums rows of those days, rewritten in
     * key order; rollup rows per day. The rows are found
     * through the workflow's (metric type, grouping) prefixes of the primary key, each an index range (as RollupPurge
     * does). Several days at once: their rows go back into the primary key in its own order, a few leaf pages after
     * another, where a day at a time touched every prefix's leaf page once per day (19 s a day of 53 workflows
     * against 2 s a day in runs of 31 days, measured).
     */
    private static final String REWRITE = PREFIXES + """
             moved AS (
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

    /** The oldest day with rows, from the whole-workflow index (one probe per metric type). */
    private static final String OLDEST_DAY = """
            SELECT min(m.bucket) FROM unnest($1::varchar[]) AS t(metric_type)
            CROSS JOIN LATERAL (SELECT min(r.bucket) AS bucket FROM metric_rollups r
                                WHERE r.metric_type = t.metric_type AND r.level = 'day' AND r.dim_key = '') m""";
    private static final String MONTHS = "SELECT month, stored FROM rollup_compacted_months WHERE month >= $1";
    private static final String EXCLUSIVE_MONTHS_LOCK = "SELECT pg_advisory_xact_lock($1)";
    private static final String LIST_MONTH = "INSERT INTO rollup_compacted_months (month) VALUES ($1) "
            + "ON CONFLICT DO NOTHING";
    /**
     * One workflow's month rows of the month [$2, $3) set to the sums of its day rows, sketches merged bucket by
     * bucket (as sketch_merge does), in key order. Rows the batches created since the month was listed are
     * overwritten with sums that include what they added.
     */
    private static final String FILL_MONTH = PREFIXES + """
             days AS (
                SELECT r.metric_type, r.dim_key, r.dim_value, r.count, r.sum, r.sum_sq, r.min, r.max, r.sketch
                FROM prefixes p
                JOIN metric_rollups r ON r.workflow_id = $1 AND r.metric_type = p.metric_type
                 AND r.dim_key = p.dim_key AND r.level = 'day' AND r.bucket >= $2 AND r.bucket < $3
            ), totals AS (
                SELECT metric_type, dim_key, dim_value, sum(count)::int8 AS count, sum(sum) AS sum,
                       sum(sum_sq) AS sum_sq, min(min) AS min, max(max) AS max
                FROM days GROUP BY 1, 2, 3
            ), slots AS (
                SELECT metric_type, dim_key, dim_value, e >> 40 AS slot, sum(e & 1099511627775)::int8 AS n
                FROM days CROSS JOIN LATERAL unnest(sketch) AS e GROUP BY 1, 2, 3, 4
            ), sketches AS (
                SELECT metric_type, dim_key, dim_value, array_agg((slot << 40) | n ORDER BY slot) AS sketch
                FROM slots GROUP BY 1, 2, 3
            )
            INSERT INTO metric_rollups AS r (workflow_id, metric_type, dim_key, dim_value, level, bucket, count, sum,
                                             sum_sq, min, max, sketch)
            SELECT $1, t.metric_type, t.dim_key, t.dim_value, 'month', $2, t.count, t.sum, t.sum_sq, t.min, t.max,
                   coalesce(s.sketch, '{}')
            FROM totals t LEFT JOIN sketches s USING (metric_type, dim_key, dim_value)
            ORDER BY t.metric_type, t.dim_key, t.dim_value
            ON CONFLICT (workflow_id, metric_type, dim_key, level, bucket, dim_value) DO UPDATE SET
                count = excluded.count, sum = excluded.sum, sum_sq = excluded.sum_sq, min = excluded.min,
                max = excluded.max, sketch = excluded.sketch""";
    private static final String STORE_MONTH = "UPDATE rollup_compacted_months SET stored = true, workflows = $2, "
            + "rows = $3, finished_at = now() WHERE month = $1";

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
    private final Clock clock = Clock.systemUTC();

    public RollupCompaction(Pool pool, ConsumerLag lag, MeterRegistry registry,
                            @ConfigProperty(name = "wa.rollup.compaction.enabled", defaultValue = "true")
                            boolean enabled,
                            @ConfigProperty(name = "wa.rollup.compaction.grace", defaultValue = "PT1H")
                            Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("wa.rollup.compaction.grace must not be negative");
        }
        this.pool = pool;
        this.lag = lag;
        this.registry = registry;
        this.enabled = enabled;
        this.grace = grace;
    }

    /**
     * Waits while the consumer group drains a backlog ({@link ConsumerLag#isBacklog}): it may
     * still hold metrics of the closed days, which would land beside their rewritten rows.
     */
    @Scheduled(every = "${wa.rollup.compaction.every:10m}", delayed = "${wa.rollup.compaction.delay:2m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return lag.metrics().chain(behind -> {
                    if (lag.isBacklog(behind)) {
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
     * Rewrites every closed day not rewritten yet, newest first, then fills every closed month not stored yet; the
     * days done. Nothing when another replica holds the lock.
     */
    public Uni<List<Day>> compact() {
        return SessionLock.run(pool, LOCK, List.<Day>of(), conn -> compactDays(conn)
                .call(() -> compactMonths(conn)));
    }

    private Uni<List<Day>> compactDays(SqlConnection conn) {
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
            return workflows(conn).chain(workflows -> Multi.createFrom().iterable(runs(due, MAX_DAYS_PER_STATEMENT))
                    .onItem().transformToUniAndConcatenate(run -> rewrite(conn, run, workflows))
                    .collect().asList().map(days -> days.stream().flatMap(List::stream).toList())
                    // Once a day, with the day that closed: the users' rows are not kept per day.
                    .call(days -> days.isEmpty() ? Uni.createFrom().voidItem() : rewriteUsers(conn, workflows)));
        });
    }

    private static Uni<List<UUID>> workflows(SqlClient client) {
        return client.query(WORKFLOWS).execute().map(found -> {
            List<UUID> workflows = new ArrayList<>();
            found.forEach(r -> workflows.add(r.getUUID(0)));
            return workflows;
        });
    }

    /** Fills every closed month not stored yet, newest first, from the oldest day with rows; the months stored. */
    private Uni<List<LocalDate>> compactMonths(SqlConnection conn) {
        String[] types = Arrays.stream(MetricType.values()).map(MetricType::wire).toArray(String[]::new);
        return conn.preparedQuery(OLDEST_DAY).execute(Tuple.of(types)).chain(oldest -> {
            OffsetDateTime first = oldest.iterator().next().getOffsetDateTime(0);
            if (first == null) {
                return Uni.createFrom().item(List.<LocalDate>of());
            }
            // Not before the month horizon: the purge drops those months' rows whatever they hold.
            LocalDate oldestKept = RollupLevel.month(RollupRetention.horizon(RollupLevel.MONTH));
            LocalDate oldestDay = RollupLevel.month(first.toInstant());
            List<LocalDate> closed = closedMonths(clock.instant(),
                    oldestDay.isBefore(oldestKept) ? oldestKept : oldestDay);
            if (closed.isEmpty()) {
                return Uni.createFrom().item(List.<LocalDate>of());
            }
            return conn.preparedQuery(MONTHS).execute(Tuple.of(closed.get(closed.size() - 1))).chain(rows -> {
                Set<LocalDate> stored = new HashSet<>();
                rows.forEach(r -> {
                    if (r.getBoolean(1)) {
                        stored.add(r.getLocalDate(0));
                    }
                });
                return Multi.createFrom().iterable(due(closed, stored))
                        .onItem().transformToUniAndConcatenate(this::fillMonth).collect().asList();
            });
        });
    }

    /** The closed months from {@code oldest} on, newest first: a month closes {@code grace} after its end. */
    List<LocalDate> closedMonths(Instant now, LocalDate oldest) {
        LocalDate newest = RollupLevel.month(now.minus(grace)).minusMonths(1);
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate m = newest; !m.isBefore(oldest); m = m.minusMonths(1)) {
            out.add(m);
        }
        return out;
    }

    /**
     * Lists a month (from then on batches keep its month rows), sets every workflow's month rows to the sums of its
     * day rows, and marks the month stored (from then on views read it).
     */
    public Uni<LocalDate> fillMonth(LocalDate month) {
        long started = System.nanoTime();
        OffsetDateTime from = month.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = month.plusMonths(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        long[] rows = new long[1];
        // Listed under the exclusive lock: once it is held, every batch that read the list before has committed, so
        // the workflows read after it include theirs.
        return pool.withTransaction(tx -> exclusively(tx).chain(() -> tx.preparedQuery(LIST_MONTH)
                        .execute(Tuple.of(month))))
                .chain(() -> workflows(pool))
                .chain(workflows -> Multi.createFrom().iterable(workflows)
                        .onItem().transformToUniAndConcatenate(w -> pool.withTransaction(tx -> exclusively(tx)
                                .chain(() -> tx.preparedQuery(FILL_MONTH).execute(Tuple.of(w, from, to)))))
                        .invoke(filled -> rows[0] += filled.rowCount())
                        .collect().last()
                        .chain(() -> pool.preparedQuery(STORE_MONTH).execute(Tuple.of(month, workflows.size(),
                                rows[0])))
                        .invoke(() -> {
                            StoredMonths.add(month);
                            registry.counter("wa.rollup.stored.months").increment();
                            LOG.infof("stored the %d month rollup rows of %s (%d workflows, %d ms)", rows[0],
                                    month.getMonth() + " " + month.getYear(), workflows.size(),
                                    (System.nanoTime() - started) / 1_000_000);
                        }))
                .replaceWith(month);
    }

    private static Uni<Void> exclusively(SqlClient tx) {
        return tx.preparedQuery(EXCLUSIVE_MONTHS_LOCK).execute(Tuple.of(MONTHS_LOCK)).replaceWithVoid();
    }

    /** The closed days (or months) not done yet, newest first. */
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
