package io.workflowanalytics.predictions.insights;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.RowDocuments;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads predictions.predictive_insights. */
@ApplicationScoped
public class InsightRepository {

    private static final String FIND = """
            SELECT to_jsonb(p) AS doc FROM predictive_insights p
            WHERE workflow_id = $1 AND ($2::varchar IS NULL OR time_horizon = $2)
            ORDER BY prediction_date DESC, id LIMIT $3""";

    private final Pool pool;

    public InsightRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Map<String, Object>>> latest(String workflowId, String timeHorizon, int limit) {
        return RowDocuments.list(pool, FIND, Tuple.of(UUID.fromString(workflowId), timeHorizon, limit));
    }
}
