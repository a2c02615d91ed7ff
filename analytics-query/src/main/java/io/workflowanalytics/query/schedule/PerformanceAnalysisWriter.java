package io.workflowanalytics.query.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.performance.PerformanceComparison;
import io.workflowanalytics.query.performance.PerformanceService;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Stores a PerformanceAnalysis row; its {@code trends} say how each headline metric moved from the previous period of
 * the same length (improving, degrading or stable; PerformanceComparison.Trend).
 */
@ApplicationScoped
public class PerformanceAnalysisWriter implements AnalysisWriter {

    private static final String INSERT = """
            INSERT INTO performance_analyses (workflow_id, time_range_start, time_range_end, metrics, bottlenecks,
                                              recommendations, trends, confidence)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8
            WHERE NOT EXISTS (SELECT 1 FROM performance_analyses
                              WHERE workflow_id = $1 AND time_range_start = $2 AND time_range_end = $3)""";

    private final PerformanceService performance;
    private final ObjectMapper json;

    public PerformanceAnalysisWriter(PerformanceService performance, ObjectMapper json) {
        this.performance = performance;
        this.json = json;
    }

    @Override
    public String type() {
        return "performance";
    }

    @Override
    public Uni<Integer> write(SqlClient tx, UUID workflow, TimeRange period) {
        return Uni.combine().all().unis(performance.analyse(workflow, period, true, true),
                performance.metrics(workflow, period.previous())).asTuple().chain(both -> {
            var view = both.getItem1();
            long n = view.performanceMetrics().totalExecutions();
            Tuple row = Tuple.tuple()
                    .addUUID(workflow)
                    .addOffsetDateTime(period.start().atOffset(ZoneOffset.UTC))
                    .addOffsetDateTime(period.end().atOffset(ZoneOffset.UTC))
                    .addValue(JsonColumns.of(json, view.performanceMetrics()))
                    .addValue(JsonColumns.of(json, view.bottlenecks()))
                    .addValue(JsonColumns.of(json, view.recommendations()))
                    .addValue(JsonColumns.of(json, PerformanceComparison.trends(both.getItem2(),
                            view.performanceMetrics())))
                    .addValue(AnalysisWriter.confidence(n));
            return tx.preparedQuery(INSERT).execute(row).map(r -> r.rowCount());
        });
    }
}
