package io.workflowanalytics.query.rollup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Maintains the rollups exactly under redelivery: in one transaction a batch records its metric ids, counts only
 * those the database reports as new, and adds them to the rollup rows; one statement each, whatever the batch size.
 * A batch holding metrics of past months also adds them to the month rows of those months that the compaction has
 * listed ({@link RollupCompaction#MONTHS_LOCK} says why under a shared lock).
 */
@ApplicationScoped
public class RollupRepository {

    private static final String RECORD_IDS = """
            INSERT INTO applied_metrics ("timestamp", id)
            SELECT * FROM unnest($1::timestamptz[], $2::uuid[])
            ON CONFLICT DO NOTHING
            RETURNING id""";

    private static final String SHARE_MONTHS_LOCK = "SELECT pg_advisory_xact_lock_shared($1)";
    private static final String LISTED_MONTHS = "SELECT month FROM rollup_compacted_months WHERE month = ANY($1)";

    private static final String UPSERT_ROLLUPS = """
            INSERT INTO metric_rollups AS r (workflow_id, metric_type, dim_key, dim_value, level, bucket, count, sum,
                                             sum_sq, min, max, sketch)
            SELECT w, t, k, v, l, b, c, s::numeric, q, mn, mx, sk::bigint[]
            FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::timestamptz[],
                        $7::int8[], $8::text[], $9::float8[], $10::float8[], $11::float8[], $12::text[])
                 AS u(w, t, k, v, l, b, c, s, q, mn, mx, sk)
            ON CONFLICT (workflow_id, metric_type, dim_key, level, bucket, dim_value) DO UPDATE SET
                count = r.count + excluded.count,
                sum = r.sum + excluded.sum,
                sum_sq = r.sum_sq + excluded.sum_sq,
                min = least(r.min, excluded.min),
                max = greatest(r.max, excluded.max),
                sketch = sketch_merge(r.sketch, excluded.sketch)""";

    private static final String UPSERT_HOUR_SUMS = """
            INSERT INTO day_hour_sums AS d (workflow_id, metric_type, day, sums)
            SELECT w, t, day, s::numeric[]
            FROM unnest($1::uuid[], $2::varchar[], $3::date[], $4::text[]) AS u(w, t, day, s)
            ON CONFLICT (workflow_id, metric_type, day) DO UPDATE SET sums = hour_sums_add(d.sums, excluded.sums)""";

    /**
     * The outcomes, and from those the insert reports as new (a redelivered execution is not), their users' daily
     * counts for the usage view (V7__user_activity.sql); rows in key order, so that concurrent writers lock them in
     * the same order.
     */
    private static final String INSERT_OUTCOMES = """
            WITH fresh AS (
                INSERT INTO execution_outcomes (workflow_id, execution_id, finished_at, succeeded, duration_ms, user_id,
                                                workflow_version, environment, region, device_type, error_type,
                                                error_message, failed_node_id)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bool[], $5::float8[], $6::varchar[],
                                     $7::varchar[], $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[],
                                     $12::text[], $13::varchar[])
                ON CONFLICT DO NOTHING
                RETURNING workflow_id, user_id, workflow_version, environment, region, device_type, finished_at
            ), activity AS (
                INSERT INTO user_activity AS a (workflow_id, user_id, workflow_version, environment, region,
                                                device_type, days)
                SELECT workflow_id, user_id, workflow_version, environment, region, device_type,
                       day_counts_agg(epoch_day(finished_at), 1)
                FROM fresh
                GROUP BY 1, 2, 3, 4, 5, 6
                ORDER BY 1, 2, 3, 4, 5, 6
                ON CONFLICT (workflow_id, user_id, workflow_version, environment, region, device_type)
                    DO UPDATE SET days = day_counts_add(a.days, excluded.days)
            )
            INSERT INTO user_hours AS h (workflow_id, user_id, hour, days)
            SELECT workflow_id, user_id, date_part('hour', finished_at AT TIME ZONE 'UTC')::int2,
                   day_counts_agg(epoch_day(finished_at), 1)
            FROM fresh
            WHERE user_id IS NOT NULL
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            ON CONFLICT (workflow_id, user_id, hour) DO UPDATE SET days = day_counts_add(h.days, excluded.days)""";

    private static final String INSERT_NODES = """
            INSERT INTO workflow_nodes (workflow_id, node_id, node_type)
            SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[])
            ON CONFLICT (workflow_id, node_id) DO UPDATE SET node_type = excluded.node_type
            WHERE workflow_nodes.node_type IS DISTINCT FROM excluded.node_type""";

    private final Pool pool;

    public RollupRepository(Pool pool) {
        this.pool = pool;
    }

    /** Adds the metrics not counted before to the rollups; returns what was added. */
    public Uni<RollupBatch> apply(List<AnalyticsMetric> metrics) {
        if (metrics.isEmpty()) {
            return Uni.createFrom().item(new RollupBatch());
        }
        // Each id and workflow id parsed once: sorting and matching on strings parsed them again and again.
        int n = metrics.size();
        UUID[] ids = new UUID[n];
        UUID[] workflows = new UUID[n];
        // Past as seen an hour from now: a batch begun just before a month ends still takes the lock for it, however
        // short the compaction's grace after the month's end.
        Instant thisMonth = RollupLevel.MONTH.bucket(Instant.now().plus(Duration.ofHours(1)));
        Set<LocalDate> pastMonths = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ids[i] = UUID.fromString(metrics.get(i).id());
            workflows[i] = UUID.fromString(metrics.get(i).workflowId());
            if (metrics.get(i).timestamp().isBefore(thisMonth)) {
                pastMonths.add(RollupLevel.month(metrics.get(i).timestamp()));
            }
        }
        // The fold and the statement's arrays (the drain's hottest code in a JFR profile) on a worker: on the
        // connection's event loop, where the ids' result arrives, they would hold up the REST requests it serves.
        return pool.withTransaction(tx -> listedMonths(tx, pastMonths).chain(months -> recordIds(tx, metrics, ids)
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()).chain(fresh -> {
            RollupBatch batch = new RollupBatch(months);
            for (int i = 0; i < n; i++) {
                batch.touch(workflows[i]);
                // remove(): an id twice in one batch counts once.
                if (fresh.remove(ids[i])) {
                    batch.add(metrics.get(i), workflows[i]);
                }
            }
            return upsert(tx, batch).replaceWith(batch);
        })));
    }

    /**
     * Of these past months, those whose month rows batches keep: read under the shared lock, which the month
     * compaction's exclusive lock waits for, so that no batch adds to a month's days without its month rows once the
     * compaction has read those days.
     */
    private static Uni<Set<LocalDate>> listedMonths(SqlClient tx, Set<LocalDate> pastMonths) {
        if (pastMonths.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(SHARE_MONTHS_LOCK).execute(Tuple.of(RollupCompaction.MONTHS_LOCK))
                .chain(() -> tx.preparedQuery(LISTED_MONTHS).execute(Tuple.tuple()
                        .addArrayOfLocalDate(pastMonths.toArray(LocalDate[]::new))))
                .map(rows -> {
                    Set<LocalDate> out = new HashSet<>();
                    rows.forEach(r -> out.add(r.getLocalDate(0)));
                    return out;
                });
    }

    /** Records the finished executions (started events carry no outcome); a repeated one is kept once. */
    public Uni<Void> recordOutcomes(List<ExecutionEvent> events) {
        Map<String, ExecutionEvent> finished = new LinkedHashMap<>();
        Map<String, String[]> nodes = new LinkedHashMap<>();
        for (ExecutionEvent e : events) {
            if (e.nodes() != null) {
                for (ExecutionEvent.NodeExecution node : e.nodes()) {
                    if (node.nodeId() != null) {
                        nodes.put(e.workflowId() + "/" + node.nodeId(),
                                new String[] {e.workflowId(), node.nodeId(), node.nodeType()});
                    }
                }
            }
            if (e.type() != ExecutionEventType.EXECUTION_STARTED && e.finishedAt() != null) {
                finished.putIfAbsent(e.workflowId() + "/" + e.executionId(), e);
            }
        }
        if (finished.isEmpty()) {
            return pool.withTransaction(tx -> insertNodes(tx, nodes.values()));
        }
        int n = finished.size();
        UUID[] workflow = new UUID[n];
        UUID[] execution = new UUID[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Boolean[] succeeded = new Boolean[n];
        Double[] duration = new Double[n];
        String[] user = new String[n];
        String[] version = new String[n];
        String[] environment = new String[n];
        String[] region = new String[n];
        String[] device = new String[n];
        String[] errorType = new String[n];
        String[] errorMessage = new String[n];
        String[] failedNode = new String[n];
        int i = 0;
        for (ExecutionEvent e : finished.values()) {
            workflow[i] = UUID.fromString(e.workflowId());
            execution[i] = UUID.fromString(e.executionId());
            at[i] = utc(e.finishedAt());
            succeeded[i] = e.type() == ExecutionEventType.EXECUTION_COMPLETED;
            duration[i] = e.durationMs();
            user[i] = e.userId();
            version[i] = e.workflowVersion();
            environment[i] = e.environment();
            region[i] = e.region();
            device[i] = e.deviceType();
            errorType[i] = e.errorType() == null ? null : e.errorType().wire();
            errorMessage[i] = e.errorMessage();
            failedNode[i] = failedNode(e);
            i++;
        }
        Tuple outcomes = Tuple.from(new Object[] {workflow, execution, at, succeeded, duration, user, version,
                environment, region, device, errorType, errorMessage, failedNode});
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT_OUTCOMES).execute(outcomes)
                .chain(() -> insertNodes(tx, nodes.values()))).replaceWithVoid();
    }

    private static Uni<Void> insertNodes(SqlClient tx, java.util.Collection<String[]> nodes) {
        if (nodes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] workflow = new UUID[nodes.size()];
        String[] node = new String[nodes.size()];
        String[] type = new String[nodes.size()];
        int i = 0;
        for (String[] n : nodes) {
            workflow[i] = UUID.fromString(n[0]);
            node[i] = n[1];
            type[i] = n[2];
            i++;
        }
        return tx.preparedQuery(INSERT_NODES).execute(Tuple.of(workflow, node, type)).replaceWithVoid();
    }

    private static String failedNode(ExecutionEvent e) {
        if (e.nodes() == null) {
            return null;
        }
        for (ExecutionEvent.NodeExecution node : e.nodes()) {
            if (node.status() == NodeStatus.FAILED) {
                return node.nodeId();
            }
        }
        return null;
    }

    private static Uni<Set<UUID>> recordIds(SqlClient tx, List<AnalyticsMetric> metrics, UUID[] parsed) {
        int n = metrics.size();
        // In key order: two overlapping batches (several in flight, or replicas) then lock ids in the same order.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = metrics.get(a).timestamp().compareTo(metrics.get(b).timestamp());
            return c != 0 ? c : parsed[a].compareTo(parsed[b]);
        });
        OffsetDateTime[] times = new OffsetDateTime[n];
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            times[i] = utc(metrics.get(order[i]).timestamp());
            ids[i] = parsed[order[i]];
        }
        return tx.preparedQuery(RECORD_IDS).execute(Tuple.of(times, ids)).map(rows -> {
            Set<UUID> fresh = new HashSet<>(rows.size() * 2);
            for (Row row : rows) {
                fresh.add(row.getUUID(0));
            }
            return fresh;
        });
    }

    private static Uni<Void> upsert(SqlClient tx, RollupBatch batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map.Entry<RollupBatch.Key, RollupDelta>> deltas = batch.sortedDeltas();
        int n = deltas.size();
        UUID[] workflow = new UUID[n];
        String[] type = new String[n];
        String[] dimKey = new String[n];
        String[] dimValue = new String[n];
        String[] level = new String[n];
        OffsetDateTime[] bucket = new OffsetDateTime[n];
        Long[] count = new Long[n];
        String[] sum = new String[n];
        Double[] sumSq = new Double[n];
        Double[] min = new Double[n];
        Double[] max = new Double[n];
        String[] sketch = new String[n];
        int i = 0;
        for (Map.Entry<RollupBatch.Key, RollupDelta> e : deltas) {
            RollupBatch.Key k = e.getKey();
            RollupDelta d = e.getValue();
            workflow[i] = k.workflowId();
            type[i] = k.metricType();
            dimKey[i] = k.dimKey();
            dimValue[i] = k.dimValue();
            level[i] = k.level().wire();
            bucket[i] = utc(k.bucket());
            count[i] = d.count;
            sum[i] = d.sum().toPlainString();
            sumSq[i] = d.sumOfSquares;
            min[i] = d.min;
            max[i] = d.max;
            sketch[i] = arrayLiteral(d.sketch.encode());
            i++;
        }
        return tx.preparedQuery(UPSERT_ROLLUPS).execute(Tuple.from(new Object[] {workflow, type, dimKey, dimValue,
                level, bucket, count, sum, sumSq, min, max, sketch})).chain(() -> upsertHourSums(tx, batch));
    }

    private static Uni<Void> upsertHourSums(SqlClient tx, RollupBatch batch) {
        List<Map.Entry<RollupBatch.DayKey, BigDecimal[]>> rows = batch.sortedHourSums();
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        UUID[] workflow = new UUID[n];
        String[] type = new String[n];
        LocalDate[] day = new LocalDate[n];
        String[] sums = new String[n];
        for (int i = 0; i < n; i++) {
            RollupBatch.DayKey k = rows.get(i).getKey();
            workflow[i] = k.workflowId();
            type[i] = k.metricType();
            day[i] = k.day();
            StringJoiner literal = new StringJoiner(",", "{", "}");
            for (BigDecimal s : rows.get(i).getValue()) {
                literal.add(s.toPlainString());
            }
            sums[i] = literal.toString();
        }
        return tx.preparedQuery(UPSERT_HOUR_SUMS).execute(Tuple.of(workflow, type, day, sums)).replaceWithVoid();
    }

    /** A sketch as the upsert sends it: a PostgreSQL array literal ({@code {1,2}}, {@code {}} when empty). */
    static String arrayLiteral(long[] values) {
        StringBuilder sb = new StringBuilder(values.length * 16 + 2).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values[i]);
        }
        return sb.append('}').toString();
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
