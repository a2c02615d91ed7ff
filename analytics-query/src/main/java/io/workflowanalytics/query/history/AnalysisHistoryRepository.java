package io.workflowanalytics.query.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.RowDocuments;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the stored analyses of one workflow, newest first. */
@ApplicationScoped
public class AnalysisHistoryRepository {

    private final Pool pool;
    private final Map<AnalysisKind, String> queries = new EnumMap<>(AnalysisKind.class);

    public AnalysisHistoryRepository(Pool pool) {
        this.pool = pool;
        for (AnalysisKind kind : AnalysisKind.values()) {
            // Table and column names come from the enum, never from the request.
            queries.put(kind, "SELECT to_jsonb(a) AS doc FROM " + kind.table + " a WHERE workflow_id = $1 ORDER BY "
                    + kind.dateColumn + " DESC, id LIMIT $2");
        }
    }

    public Uni<List<Map<String, Object>>> latest(AnalysisKind kind, String workflowId, int limit) {
        return RowDocuments.list(pool, queries.get(kind), Tuple.of(UUID.fromString(workflowId), limit));
    }
}
