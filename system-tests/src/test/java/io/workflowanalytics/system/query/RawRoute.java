package io.workflowanalytics.system.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What each view answers, computed by plain SQL over the raw tables (ingest.analytics_metrics and ingest.executions)
 * the way a competent implementation without rollups would: one scan per metric type a view reads, its breakdowns as
 * GROUPING SETS of that scan, percentile_cont for quantiles, window functions over the executions for MTTR. Every
 * figure the view returns is covered (previous periods, halves, series, distinct users, examples, failure episodes),
 * so the benchmark's ratio compares the same answer; node types (a catalog, not an analysis) and budgets (none are
 * set in the benchmark) are left out. Statements run one after another on one connection.
 */
final class RawRoute {

    /** The values a statement binds, in order. */
    private enum Param { WORKFLOW, START, END, PREVIOUS_START, MIDDLE, EXECUTIONS_FROM }

    record Query(String sql, Param... params) {
    }

    private static final String METRICS = " FROM ingest.analytics_metrics WHERE workflow_id = ? AND \"timestamp\" >= ? "
            + "AND \"timestamp\" < ? ";
    private static final String WORKFLOW_LEVEL = " AND NOT dimensions ?? 'nodeId' ";
    private static final String NODE_LEVEL = " AND dimensions ?? 'nodeId' ";
    private static final Param[] RANGE = {Param.WORKFLOW, Param.START, Param.END};
    /**
     * Executions finished in the range. The table is partitioned and indexed by start: an execution finishing in
     * the range started at most a day before it (the simulator's run far shorter).
     */
    private static final String FINISHED = " FROM ingest.executions WHERE workflow_id = ? AND started_at >= ? "
            + "AND started_at < ? AND finished_at >= ? AND finished_at < ? AND status <> 'running' ";
    private static final Param[] FINISHED_RANGE = {Param.WORKFLOW, Param.EXECUTIONS_FROM, Param.END, Param.START,
            Param.END};

    private RawRoute() {
    }

    static List<Query> of(String view) {
        return switch (view) {
            case "dashboard" -> List.of(
                    // This period's headline and the previous one's, for the deviation.
                    new Query("SELECT \"timestamp\" >= ? AS current, sum(value) FILTER (WHERE metric_type = "
                            + "'execution_count'), avg(value) FILTER (WHERE metric_type = 'success_rate'), "
                            + "avg(value) FILTER (WHERE metric_type = 'execution_time'), sum(value) FILTER (WHERE "
                            + "metric_type = 'cost'), count(DISTINCT dimensions->>'userId') FILTER (WHERE "
                            + "metric_type = 'execution_count') FROM ingest.analytics_metrics WHERE workflow_id = ? "
                            + "AND \"timestamp\" >= ? AND \"timestamp\" < ?" + WORKFLOW_LEVEL + "GROUP BY 1",
                            Param.START, Param.WORKFLOW, Param.PREVIOUS_START, Param.END),
                    // The default trends: five metric types by day.
                    new Query("SELECT date_trunc('day', \"timestamp\"), metric_type, count(*), sum(value), avg(value)"
                            + METRICS + "AND metric_type IN ('execution_count', 'execution_time', 'success_rate', "
                            + "'error_rate', 'cost')" + WORKFLOW_LEVEL + "GROUP BY 1, 2", RANGE));
            case "performance" -> List.of(
                    new Query("SELECT count(*), avg(value), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP "
                            + "(ORDER BY value)" + METRICS + "AND metric_type = 'execution_time'" + WORKFLOW_LEVEL,
                            RANGE),
                    new Query("SELECT metric_type, count(*), sum(value), avg(value)" + METRICS + "AND metric_type IN "
                            + "('execution_count', 'success_rate')" + WORKFLOW_LEVEL + "GROUP BY 1", RANGE),
                    new Query("SELECT dimensions->>'nodeId', count(*), avg(value), max(value), "
                            + "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY value)" + METRICS
                            + "AND metric_type = 'execution_time'" + NODE_LEVEL + "GROUP BY 1", RANGE),
                    new Query("SELECT dimensions->>'nodeId', count(*), sum(value)" + METRICS
                            + "AND metric_type = 'error_rate'" + NODE_LEVEL + "GROUP BY 1", RANGE),
                    // Per resource over the range, and cpu and memory by day for the utilisation series.
                    new Query("SELECT dimensions->>'resource' AS resource, date_trunc('day', \"timestamp\") AS day, "
                            + "count(*), avg(value), max(value)" + METRICS + "AND metric_type = 'resource_usage' "
                            + "GROUP BY GROUPING SETS ((resource), (resource, day))", RANGE));
            case "usage" -> List.of(
                    // Totals, every breakdown, the cyclic profiles, weeks, months and the two halves by version.
                    new Query("SELECT dimensions->>'userId' AS u, dimensions->>'deviceType' AS d, "
                            + "dimensions->>'country' AS c, dimensions->>'region' AS r, dimensions->>'version' AS v, "
                            + "dimensions->>'environment' AS env, extract(hour FROM \"timestamp\" AT TIME ZONE 'UTC') "
                            + "AS h, extract(isodow FROM \"timestamp\" AT TIME ZONE 'UTC') AS dow, date_trunc('week', "
                            + "\"timestamp\" AT TIME ZONE 'UTC') AS wk, date_trunc('month', \"timestamp\" AT TIME ZONE "
                            + "'UTC') AS mo, \"timestamp\" >= ? AS late, count(*), sum(value)" + METRICS
                            + "AND metric_type = 'execution_count'" + WORKFLOW_LEVEL + "GROUP BY GROUPING SETS ((), "
                            + "(u), (d), (c), (r), (v), (env), (h), (dow), (wk), (mo), (late), (late, v))",
                            Param.MIDDLE, Param.WORKFLOW, Param.START, Param.END),
                    // Users per device, region, version and environment.
                    new Query("SELECT dimensions->>'deviceType' AS d, dimensions->>'region' AS r, "
                            + "dimensions->>'version' AS v, dimensions->>'environment' AS env, count(DISTINCT "
                            + "dimensions->>'userId')" + METRICS + "AND metric_type = 'execution_count'"
                            + WORKFLOW_LEVEL + "GROUP BY GROUPING SETS ((d), (r), (v), (env))", RANGE),
                    new Query("SELECT dimensions->>'userId' AS u, count(*), avg(value)" + METRICS
                            + "AND metric_type = 'execution_time'" + WORKFLOW_LEVEL
                            + "GROUP BY GROUPING SETS ((), (u))", RANGE),
                    // Each user's executions by hour of day (the top users' preferred slots).
                    new Query("SELECT user_id, extract(hour FROM finished_at AT TIME ZONE 'UTC'), count(*)" + FINISHED
                            + "AND user_id IS NOT NULL GROUP BY 1, 2", FINISHED_RANGE));
            case "errors" -> List.of(
                    // Totals, categories, contributing factors, the series and each category's series.
                    new Query("SELECT dimensions->>'errorType' AS e, dimensions->>'version' AS v, "
                            + "dimensions->>'environment' AS env, dimensions->>'region' AS r, "
                            + "dimensions->>'deviceType' AS d, dimensions->>'userType' AS ut, date_trunc('day', "
                            + "\"timestamp\") AS day, count(*), sum(value)" + METRICS + "AND metric_type = 'error_rate'"
                            + WORKFLOW_LEVEL + "GROUP BY GROUPING SETS ((), (e), (v), (env), (r), (d), (ut), (day), "
                            + "(day, e))", RANGE),
                    new Query("SELECT dimensions->>'nodeId' AS n, dimensions->>'errorType' AS e, count(*), sum(value)"
                            + METRICS + "AND metric_type = 'error_rate'" + NODE_LEVEL
                            + "GROUP BY GROUPING SETS ((n), (n, e))", RANGE),
                    new Query("SELECT count(*), sum(value)" + METRICS + "AND metric_type = 'error_rate'"
                            + WORKFLOW_LEVEL, Param.WORKFLOW, Param.PREVIOUS_START, Param.START),
                    new Query("SELECT sum(value)" + METRICS + "AND metric_type = 'cost'" + WORKFLOW_LEVEL, RANGE),
                    // The newest three failures of each error type.
                    new Query("SELECT error_type, execution_id, finished_at, error_message FROM (SELECT error_type, "
                            + "execution_id, finished_at, error_message, row_number() OVER (PARTITION BY error_type "
                            + "ORDER BY finished_at DESC, execution_id) AS n" + FINISHED + "AND status = 'failed' AND "
                            + "error_type IS NOT NULL) e WHERE n <= 3", FINISHED_RANGE),
                    // Failure episodes and their time to the next success (MTTR): the next success of each outcome
                    // is a running minimum over the outcomes in reverse order.
                    new Query("WITH o AS (SELECT finished_at, status = 'completed' AS ok, min(finished_at) FILTER "
                            + "(WHERE status = 'completed') OVER (ORDER BY finished_at DESC, execution_id DESC ROWS "
                            + "UNBOUNDED PRECEDING) AS next_at" + FINISHED + "), episode AS (SELECT min(finished_at) "
                            + "AS started, next_at FROM o WHERE NOT ok GROUP BY next_at) SELECT count(*), "
                            + "count(next_at), sum(extract(epoch FROM next_at - started) * 1000) FROM episode",
                            FINISHED_RANGE),
                    new Query("SELECT execution_id, finished_at, error_type, error_message" + FINISHED
                            + "AND status = 'failed' ORDER BY finished_at DESC, execution_id LIMIT 20",
                            FINISHED_RANGE));
            case "costs" -> List.of(
                    // Total, breakdown by component, each half's breakdown (the components' trends) and the days
                    // (the trend series and the forecast's input).
                    new Query("SELECT dimensions->>'costComponent' AS c, \"timestamp\" >= ? AS late, "
                            + "date_trunc('day', \"timestamp\") AS day, count(*), sum(value)" + METRICS
                            + "AND metric_type = 'cost'" + WORKFLOW_LEVEL + "GROUP BY GROUPING SETS ((), (c), "
                            + "(late, c), (day))", Param.MIDDLE, Param.WORKFLOW, Param.START, Param.END),
                    new Query("SELECT date_trunc('day', \"timestamp\") AS day, sum(value)" + METRICS
                            + "AND metric_type = 'execution_count'" + WORKFLOW_LEVEL + "GROUP BY GROUPING SETS ((), "
                            + "(day))", RANGE),
                    new Query("SELECT sum(value)" + METRICS + "AND metric_type = 'cost'" + WORKFLOW_LEVEL,
                            Param.WORKFLOW, Param.PREVIOUS_START, Param.START),
                    new Query("SELECT avg(value)" + METRICS + "AND metric_type = 'resource_usage' AND "
                            + "dimensions->>'resource' = 'cpu'", RANGE));
            default -> List.of(
                    new Query("SELECT metric_type, date_trunc('day', \"timestamp\"), count(*), sum(value), avg(value), "
                            + "min(value), max(value), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY "
                            + "value)" + METRICS + "AND metric_type IN ('execution_time', 'execution_count', 'cost')"
                            + WORKFLOW_LEVEL + "GROUP BY 1, 2", RANGE));
        };
    }

    /** Runs a view's statements for one workflow and range, reading every row. */
    static void answer(Connection c, List<Query> queries, String workflow, Instant start, Instant end)
            throws SQLException {
        Duration length = Duration.between(start, end);
        for (Query q : queries) {
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                for (int i = 0; i < q.params().length; i++) {
                    switch (q.params()[i]) {
                        case WORKFLOW -> ps.setObject(i + 1, UUID.fromString(workflow));
                        case START -> ps.setTimestamp(i + 1, Timestamp.from(start));
                        case END -> ps.setTimestamp(i + 1, Timestamp.from(end));
                        case PREVIOUS_START -> ps.setTimestamp(i + 1, Timestamp.from(start.minus(length)));
                        case MIDDLE -> ps.setTimestamp(i + 1, Timestamp.from(start.plus(length.dividedBy(2))));
                        case EXECUTIONS_FROM -> ps.setTimestamp(i + 1, Timestamp.from(start.minus(Duration.ofDays(1))));
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int col = 1; col <= columns; col++) {
                            rs.getObject(col);
                        }
                    }
                }
            }
        }
    }
}
