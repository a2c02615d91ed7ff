package io.workflowanalytics.query.costs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The cost budgets of workflows, one per workflow and period. */
@ApplicationScoped
public class BudgetRepository {

    private static final String COLUMNS = "period, amount, currency, updated_by, updated_at";
    private static final String LIST = "SELECT " + COLUMNS + " FROM cost_budgets WHERE workflow_id = $1 "
            + "ORDER BY array_position(ARRAY['day', 'week', 'month']::varchar[], period)";
    private static final String UPSERT = """
            INSERT INTO cost_budgets (workflow_id, period, amount, currency, updated_by, updated_at)
            VALUES ($1, $2, $3::text::numeric, $4, $5, now())
            ON CONFLICT (workflow_id, period) DO UPDATE SET amount = excluded.amount, currency = excluded.currency,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            RETURNING\s""" + COLUMNS;
    private static final String DELETE = "DELETE FROM cost_budgets WHERE workflow_id = $1 AND period = $2";

    private final Pool pool;

    public BudgetRepository(Pool pool) {
        this.pool = pool;
    }

    /** The workflow's budgets: day, week, month order. */
    public Uni<List<CostBudget>> list(UUID workflow) {
        return pool.preparedQuery(LIST).execute(Tuple.of(workflow)).map(rows -> {
            List<CostBudget> out = new ArrayList<>();
            rows.forEach(row -> out.add(budget(row)));
            return out;
        });
    }

    public Uni<CostBudget> put(UUID workflow, CostPeriod period, BigDecimal amount, String currency, String by) {
        // The amount travels as text so that PostgreSQL parses it exactly.
        Tuple params = Tuple.of(workflow, period.wire(), amount.toPlainString(), currency, by);
        return pool.preparedQuery(UPSERT).execute(params)
                .map(rows -> budget(rows.iterator().next()));
    }

    /** True when there was a budget to delete. */
    public Uni<Boolean> delete(UUID workflow, CostPeriod period) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(workflow, period.wire()))
                .map(rows -> rows.rowCount() > 0);
    }

    private static CostBudget budget(Row row) {
        return new CostBudget(row.getString(0), row.getBigDecimal(1).doubleValue(), row.getString(2),
                row.getString(3), row.getOffsetDateTime(4).toInstant().toString());
    }
}
