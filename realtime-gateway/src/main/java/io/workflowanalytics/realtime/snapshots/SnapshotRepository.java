package io.workflowanalytics.realtime.snapshots;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.RowDocuments;
import io.workflowanalytics.common.time.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads realtime.realtime_monitoring, the periodic snapshots of each workflow's live state. */
@ApplicationScoped
public class SnapshotRepository {

    private static final String FIND = """
            SELECT to_jsonb(s) AS doc FROM realtime_monitoring s
            WHERE workflow_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3
            ORDER BY "timestamp" DESC LIMIT $4""";

    private final Pool pool;

    public SnapshotRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Map<String, Object>>> find(String workflowId, TimeRange range, int limit) {
        return RowDocuments.list(pool, FIND, Tuple.of(UUID.fromString(workflowId),
                range.start().atOffset(ZoneOffset.UTC), range.end().atOffset(ZoneOffset.UTC), limit));
    }
}
