package io.workflowanalytics.query.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.errors.ErrorService;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Stores an ErrorAnalysis row: categories, trends, root causes and resolution metrics of the period, and as its
 * {@code alerts} the error alerts (error-rate spikes and system failures) raised in it, oldest first, with the status
 * they have when the row is written.
 */
@ApplicationScoped
public class ErrorAnalysisWriter implements AnalysisWriter {

    private static final String INSERT = """
            INSERT INTO error_analyses (workflow_id, time_range_start, time_range_end, total_errors, error_rate,
                                        error_categories, root_cause_analysis, error_trends, resolution_metrics, alerts)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
            WHERE NOT EXISTS (SELECT 1 FROM error_analyses
                              WHERE workflow_id = $1 AND time_range_start = $2 AND time_range_end = $3)""";

    private static final String ERROR_ALERTS = """
            SELECT id, type, severity, title, "timestamp", status, value, threshold
            FROM alerts
            WHERE workflow_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3
              AND type IN ('error_rate_spike', 'system_failure')
            ORDER BY "timestamp", id""";

    /** Spec ErrorAlert (not spelled out there): an alert about errors raised in the period. */
    public record ErrorAlert(String id, String type, String severity, String title, String timestamp, String status,
                             Double value, Double threshold) {
    }

    private final ErrorService errors;
    private final ObjectMapper json;

    public ErrorAnalysisWriter(ErrorService errors, ObjectMapper json) {
        this.errors = errors;
        this.json = json;
    }

    @Override
    public String type() {
        return "errors";
    }

    @Override
    public Uni<Integer> write(SqlClient tx, UUID workflow, TimeRange period) {
        return Uni.combine().all().unis(errors.analyse(workflow, period, Set.of(), true), alerts(tx, workflow, period))
                .with((view, alerts) -> Tuple.tuple()
                        .addUUID(workflow)
                        .addOffsetDateTime(period.start().atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(period.end().atOffset(ZoneOffset.UTC))
                        .addInteger((int) Math.min(Integer.MAX_VALUE, view.errorSummary().totalErrors()))
                        .addValue(BigDecimal.valueOf(view.errorSummary().errorRate()).setScale(6, RoundingMode.HALF_UP))
                        .addValue(JsonColumns.of(json, view.errorCategories()))
                        .addValue(JsonColumns.of(json, view.rootCauseAnalysis()))
                        .addValue(JsonColumns.of(json, view.errorTrends()))
                        .addValue(JsonColumns.of(json, view.resolutionMetrics()))
                        .addValue(JsonColumns.of(json, alerts)))
                .chain(row -> tx.preparedQuery(INSERT).execute(row).map(r -> r.rowCount()));
    }

    private static Uni<List<ErrorAlert>> alerts(SqlClient tx, UUID workflow, TimeRange period) {
        return tx.preparedQuery(ERROR_ALERTS).execute(Tuple.of(workflow, period.start().atOffset(ZoneOffset.UTC),
                period.end().atOffset(ZoneOffset.UTC))).map(rows -> {
            List<ErrorAlert> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new ErrorAlert(r.getUUID(0).toString(), r.getString(1), r.getString(2), r.getString(3),
                        r.getOffsetDateTime(4).toInstant().toString(), r.getString(5), r.getDouble(6),
                        r.getDouble(7)));
            }
            return out;
        });
    }
}
