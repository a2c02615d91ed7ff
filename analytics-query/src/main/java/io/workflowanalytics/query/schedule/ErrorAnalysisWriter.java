package io.workflowanalytics.query.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.alerts.AlertRepository;
import io.workflowanalytics.query.errors.ErrorService;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
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

    /** The alerts an error analysis lists: those about errors. */
    private static final List<AlertType> ERROR_ALERTS = List.of(AlertType.ERROR_RATE_SPIKE, AlertType.SYSTEM_FAILURE);

    private final ErrorService errors;
    private final AlertRepository alerts;
    private final ObjectMapper json;

    public ErrorAnalysisWriter(ErrorService errors, AlertRepository alerts, ObjectMapper json) {
        this.errors = errors;
        this.alerts = alerts;
        this.json = json;
    }

    @Override
    public String type() {
        return "errors";
    }

    @Override
    public Uni<Integer> write(SqlClient tx, UUID workflow, TimeRange period) {
        return Uni.combine().all().unis(errors.analyse(workflow, period, Set.of(), true),
                        alerts.raised(tx, workflow, ERROR_ALERTS, period.start(), period.end()))
                .with((view, raised) -> Tuple.tuple()
                        .addUUID(workflow)
                        .addOffsetDateTime(period.start().atOffset(ZoneOffset.UTC))
                        .addOffsetDateTime(period.end().atOffset(ZoneOffset.UTC))
                        .addInteger((int) Math.min(Integer.MAX_VALUE, view.errorSummary().totalErrors()))
                        .addValue(BigDecimal.valueOf(view.errorSummary().errorRate()).setScale(6, RoundingMode.HALF_UP))
                        .addValue(JsonColumns.of(json, view.errorCategories()))
                        .addValue(JsonColumns.of(json, view.rootCauseAnalysis()))
                        .addValue(JsonColumns.of(json, view.errorTrends()))
                        .addValue(JsonColumns.of(json, view.resolutionMetrics()))
                        .addValue(JsonColumns.of(json, raised)))
                .chain(row -> tx.preparedQuery(INSERT).execute(row).map(r -> r.rowCount()));
    }
}
