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

    /**
     * One row per workflow and snapshot period: a second replica (or a restarted one) that snapshots within half a
     * period of the last row writes nothing for that workflow.
     */
    private static final String INSERT = """
            INSERT INTO realtime_monitoring (workflow_id, "timestamp", active_executions, queued_executions,
                                             system_health, alerts, performance, resources, events)
            SELECT $1::uuid, $2::timestamptz, $3::int, $4::int, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb
            WHERE NOT EXISTS (SELECT 1 FROM realtime_monitoring
                              WHERE workflow_id = $1::uuid
                                AND "timestamp" > $2::timestamptz - $10::bigint * interval '1 millisecond')""";

    private final Pool pool;

    public SnapshotRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the snapshots (spec: RealTimeMonitor) in one transaction; returns how many rows were new. */
    public Uni<Integer> insert(List<Tuple> snapshots) {
        if (snapshots.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT).executeBatch(snapshots).map(rows -> {
            int n = 0;
            for (var r = rows; r != null; r = r.next()) {
                n += r.rowCount();
            }
            return n;
        }));
    }

    public Uni<List<Map<String, Object>>> find(String workflowId, TimeRange range, int limit) {
        return RowDocuments.list(pool, FIND, Tuple.of(UUID.fromString(workflowId),
                range.start().atOffset(ZoneOffset.UTC), range.end().atOffset(ZoneOffset.UTC), limit));
    }
}
