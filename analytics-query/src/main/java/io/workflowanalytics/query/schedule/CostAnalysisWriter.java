package io.workflowanalytics.query.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.costs.CostPeriod;
import io.workflowanalytics.query.costs.CostService;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.UUID;

/** Stores a CostAnalysis row: totals, breakdown, daily trend, optimisation, forecast and budgets of the period. */
@ApplicationScoped
public class CostAnalysisWriter implements AnalysisWriter {

    private static final String INSERT = """
            INSERT INTO cost_analyses (workflow_id, time_range_start, time_range_end, total_cost, cost_per_execution,
                                       cost_breakdown, cost_trends, optimization, forecasting, budget_analysis)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
            WHERE NOT EXISTS (SELECT 1 FROM cost_analyses
                              WHERE workflow_id = $1 AND time_range_start = $2 AND time_range_end = $3)""";

    private final CostService costs;
    private final ObjectMapper json;

    public CostAnalysisWriter(CostService costs, ObjectMapper json) {
        this.costs = costs;
        this.json = json;
    }

    @Override
    public String type() {
        return "costs";
    }

    @Override
    public Uni<Integer> write(SqlClient tx, UUID workflow, TimeRange period) {
        return costs.analyse(workflow, period, CostPeriod.DAY, true).chain(view -> {
            Tuple row = Tuple.tuple()
                    .addUUID(workflow)
                    .addOffsetDateTime(period.start().atOffset(ZoneOffset.UTC))
                    .addOffsetDateTime(period.end().atOffset(ZoneOffset.UTC))
                    .addValue(BigDecimal.valueOf(view.costSummary().totalCost()).setScale(4, RoundingMode.HALF_UP))
                    .addValue(BigDecimal.valueOf(view.costSummary().costPerExecution()).setScale(6,
                            RoundingMode.HALF_UP))
                    .addValue(JsonColumns.of(json, view.costBreakdown()))
                    .addValue(JsonColumns.of(json, view.costTrends()))
                    .addValue(JsonColumns.of(json, view.optimization()))
                    .addValue(JsonColumns.of(json, view.forecasting()))
                    .addValue(JsonColumns.of(json, view.budgetAnalysis()));
            return tx.preparedQuery(INSERT).execute(row).map(r -> r.rowCount());
        });
    }
}
