package io.workflowanalytics.ingest.pipeline;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Batch writes of the raw store: one statement per batch through {@code unnest} of column arrays, never one round
 * trip per row. Inserts are idempotent: a metric already stored (same id and timestamp) is skipped, and an
 * execution's lifecycle events converge on one row whatever their order or repetition: a started event that arrives
 * after the outcome (late or redelivered) only fills in what the outcome left empty.
 */
@ApplicationScoped
public class RawStoreRepository {

    private static final String INSERT_METRICS = """
            INSERT INTO analytics_metrics (id, workflow_id, metric_type, value, "timestamp", dimensions, tags, source,
                                           aggregation_level)
            SELECT id, workflow_id, metric_type, value, ts, dims::jsonb, tags::text[], source, level
            FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::float8[], $5::timestamptz[], $6::text[],
                        $7::text[], $8::varchar[], $9::varchar[])
                 AS u(id, workflow_id, metric_type, value, ts, dims, tags, source, level)
            ON CONFLICT DO NOTHING""";

    private static final String UPSERT_EXECUTIONS = """
            INSERT INTO executions (execution_id, workflow_id, started_at, status, workflow_version, environment,
                                    user_id, user_type, region, country, device_type, finished_at, duration_ms,
                                    error_type, error_message, nodes, resource_usage, costs, total_cost, last_event_id)
            SELECT execution_id, workflow_id, started_at, status, workflow_version, environment, user_id, user_type,
                   region, country, device_type, finished_at, duration_ms, error_type, error_message, nodes::jsonb,
                   resource_usage::jsonb, costs::jsonb, total_cost, last_event_id
            FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::varchar[], $5::varchar[], $6::varchar[],
                        $7::varchar[], $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[],
                        $12::timestamptz[], $13::float8[], $14::varchar[], $15::text[], $16::text[], $17::text[],
                        $18::text[], $19::float8[], $20::uuid[])
                 AS u(execution_id, workflow_id, started_at, status, workflow_version, environment, user_id,
                      user_type, region, country, device_type, finished_at, duration_ms, error_type, error_message,
                      nodes, resource_usage, costs, total_cost, last_event_id)
            ON CONFLICT (execution_id, started_at) DO UPDATE SET
                status = CASE WHEN excluded.status = 'running' THEN executions.status ELSE excluded.status END,
                workflow_version = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.workflow_version, excluded.workflow_version)
                    ELSE COALESCE(excluded.workflow_version, executions.workflow_version) END,
                environment = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.environment, excluded.environment)
                    ELSE COALESCE(excluded.environment, executions.environment) END,
                user_id = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.user_id, excluded.user_id)
                    ELSE COALESCE(excluded.user_id, executions.user_id) END,
                user_type = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.user_type, excluded.user_type)
                    ELSE COALESCE(excluded.user_type, executions.user_type) END,
                region = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.region, excluded.region)
                    ELSE COALESCE(excluded.region, executions.region) END,
                country = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.country, excluded.country)
                    ELSE COALESCE(excluded.country, executions.country) END,
                device_type = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.device_type, excluded.device_type)
                    ELSE COALESCE(excluded.device_type, executions.device_type) END,
                finished_at = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.finished_at, excluded.finished_at)
                    ELSE COALESCE(excluded.finished_at, executions.finished_at) END,
                duration_ms = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.duration_ms, excluded.duration_ms)
                    ELSE COALESCE(excluded.duration_ms, executions.duration_ms) END,
                error_type = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.error_type, excluded.error_type)
                    ELSE COALESCE(excluded.error_type, executions.error_type) END,
                error_message = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.error_message, excluded.error_message)
                    ELSE COALESCE(excluded.error_message, executions.error_message) END,
                resource_usage = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.resource_usage, excluded.resource_usage)
                    ELSE COALESCE(excluded.resource_usage, executions.resource_usage) END,
                total_cost = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN COALESCE(executions.total_cost, excluded.total_cost)
                    ELSE COALESCE(excluded.total_cost, executions.total_cost) END,
                nodes = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') OR excluded.nodes = '[]'::jsonb THEN executions.nodes ELSE excluded.nodes END,
                costs = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') OR excluded.costs = '[]'::jsonb THEN executions.costs ELSE excluded.costs END,
                last_event_id = CASE WHEN (excluded.status = 'running' AND executions.status <> 'running') THEN executions.last_event_id ELSE excluded.last_event_id END,
                updated_at = now()""";

    private final Pool pool;

    public RawStoreRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the metrics in one transaction; returns how many were new (the rest were already stored). */
    public Uni<Integer> storeMetrics(List<AnalyticsMetric> metrics) {
        return metrics.isEmpty() ? Uni.createFrom().item(0) : pool.withTransaction(tx -> insertMetrics(tx, metrics));
    }

    /** Stores executions and the metrics they imply in one transaction; returns how many metrics were new. */
    public Uni<Integer> storeExecutions(List<ExecutionEvent> events, List<AnalyticsMetric> implied) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(tx -> upsertExecutions(tx, events).chain(() -> insertMetrics(tx, implied)));
    }

    private static Uni<Integer> insertMetrics(SqlClient client, List<AnalyticsMetric> metrics) {
        if (metrics.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // Sorted by key (id, then time): batches are stored concurrently, and a redelivered batch holds the same ids
        // as one in flight, maybe in another order; rows locked in one order cannot deadlock (a deadlock's retry
        // let a later batch commit before an earlier one). Each id parsed once.
        int n = metrics.size();
        UUID[] parsed = new UUID[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            parsed[i] = UUID.fromString(metrics.get(i).id());
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = parsed[a].compareTo(parsed[b]);
            return c != 0 ? c : metrics.get(a).timestamp().compareTo(metrics.get(b).timestamp());
        });
        UUID[] ids = new UUID[n];
        UUID[] workflows = new UUID[n];
        String[] types = new String[n];
        Double[] values = new Double[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] dims = new String[n];
        String[] tags = new String[n];
        String[] sources = new String[n];
        String[] levels = new String[n];
        for (int i = 0; i < n; i++) {
            AnalyticsMetric m = metrics.get(order[i]);
            ids[i] = parsed[order[i]];
            workflows[i] = UUID.fromString(m.workflowId());
            types[i] = m.metricType().wire();
            values[i] = m.value();
            times[i] = utc(m.timestamp());
            dims[i] = m.dimensions() == null ? "{}" : EventJson.toString(m.dimensions());
            tags[i] = m.tags() == null ? null : PgArrays.textArrayLiteral(m.tags());
            sources[i] = m.source().wire();
            levels[i] = m.aggregationLevel().wire();
        }
        return client.preparedQuery(INSERT_METRICS)
                .execute(Tuple.tuple(List.of(ids, workflows, types, values, times, dims, tags, sources, levels)))
                .map(rows -> rows.rowCount());
    }

    private static Uni<Void> upsertExecutions(SqlClient client, List<ExecutionEvent> events) {
        List<ExecutionEvent> merged = mergePerExecution(events);
        int n = merged.size();
        Object[][] columns = new Object[20][];
        columns[0] = new UUID[n];
        columns[1] = new UUID[n];
        columns[2] = new OffsetDateTime[n];
        for (int c = 3; c < 20; c++) {
            columns[c] = switch (c) {
                case 11 -> new OffsetDateTime[n];
                case 12, 18 -> new Double[n];
                case 19 -> new UUID[n];
                default -> new String[n];
            };
        }
        for (int i = 0; i < n; i++) {
            ExecutionEvent e = merged.get(i);
            columns[0][i] = UUID.fromString(e.executionId());
            columns[1][i] = UUID.fromString(e.workflowId());
            columns[2][i] = utc(e.startedAt());
            columns[3][i] = status(e.type());
            columns[4][i] = e.workflowVersion();
            columns[5][i] = e.environment();
            columns[6][i] = e.userId();
            columns[7][i] = e.userType() == null ? null : e.userType().wire();
            columns[8][i] = e.region();
            columns[9][i] = e.country();
            columns[10][i] = e.deviceType();
            columns[11][i] = e.finishedAt() == null ? null : utc(e.finishedAt());
            columns[12][i] = e.durationMs();
            columns[13][i] = e.errorType() == null ? null : e.errorType().wire();
            columns[14][i] = e.errorMessage();
            columns[15][i] = EventJson.toString(e.nodes() == null ? List.of() : e.nodes());
            columns[16][i] = e.resourceUsage() == null ? null : EventJson.toString(e.resourceUsage());
            columns[17][i] = EventJson.toString(e.costs() == null ? List.of() : e.costs());
            columns[18][i] = e.costs() == null || e.costs().isEmpty() ? null
                    : e.costs().stream().mapToDouble(ExecutionEvent.CostItem::amount).sum();
            columns[19][i] = UUID.fromString(e.eventId());
        }
        return client.preparedQuery(UPSERT_EXECUTIONS).execute(Tuple.tuple(List.of((Object[]) columns)))
                .replaceWithVoid();
    }

    /**
     * One event per execution and start time: a statement may not update the same row twice. Later events win,
     * except that a started event never overrides an outcome; context fields missing from the winner are kept.
     * Sorted by key: batches are stored concurrently, and rows locked in one order cannot deadlock.
     */
    static List<ExecutionEvent> mergePerExecution(List<ExecutionEvent> events) {
        Map<String, ExecutionEvent> byKey = new TreeMap<>();
        for (ExecutionEvent e : events) {
            byKey.merge(e.executionId() + "|" + e.startedAt(), e, RawStoreRepository::merge);
        }
        return List.copyOf(byKey.values());
    }

    private static ExecutionEvent merge(ExecutionEvent earlier, ExecutionEvent later) {
        boolean laterIsOutcome = later.type() != ExecutionEventType.EXECUTION_STARTED;
        boolean earlierIsOutcome = earlier.type() != ExecutionEventType.EXECUTION_STARTED;
        ExecutionEvent winner = laterIsOutcome || !earlierIsOutcome ? later : earlier;
        ExecutionEvent other = winner == later ? earlier : later;
        return new ExecutionEvent(winner.eventId(), winner.schemaVersion(), winner.occurredAt(), winner.type(),
                winner.executionId(), winner.workflowId(),
                or(winner.workflowVersion(), other.workflowVersion()), or(winner.environment(), other.environment()),
                or(winner.userId(), other.userId()), or(winner.userType(), other.userType()),
                or(winner.region(), other.region()), or(winner.country(), other.country()),
                or(winner.deviceType(), other.deviceType()), winner.startedAt(),
                or(winner.finishedAt(), other.finishedAt()), or(winner.durationMs(), other.durationMs()),
                or(winner.nodes(), other.nodes()), or(winner.errorType(), other.errorType()),
                or(winner.errorMessage(), other.errorMessage()), or(winner.resourceUsage(), other.resourceUsage()),
                or(winner.costs(), other.costs()));
    }

    private static <T> T or(T first, T second) {
        return first != null ? first : second;
    }

    private static String status(ExecutionEventType type) {
        return switch (type) {
            case EXECUTION_STARTED -> "running";
            case EXECUTION_COMPLETED -> "completed";
            case EXECUTION_FAILED -> "failed";
        };
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
