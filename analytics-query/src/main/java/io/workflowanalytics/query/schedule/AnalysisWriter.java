package io.workflowanalytics.query.schedule;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.workflowanalytics.common.time.TimeRange;

import java.util.UUID;

/** Computes one kind of analysis for a workflow and period and stores it as a row of the spec's table. */
public interface AnalysisWriter {

    /** performance, usage, errors or costs: the name {@code wa.analysis.types} lists. */
    String type();

    /** Stores the analysis unless one for this workflow and period exists; returns the rows written. */
    Uni<Integer> write(SqlClient tx, UUID workflow, TimeRange period);

    /**
     * How far the analysis can be trusted, from the executions behind it: n / (n + 50), so 0.5 at 50 executions and
     * 0.95 at 950 (DECIMAL(5,4) of the spec's tables).
     */
    static java.math.BigDecimal confidence(long executions) {
        return java.math.BigDecimal.valueOf(executions / (executions + 50.0)).setScale(4,
                java.math.RoundingMode.HALF_UP);
    }
}
