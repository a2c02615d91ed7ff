package io.workflowanalytics.reports.reports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.RowDocuments;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads reports.analytics_reports. */
@ApplicationScoped
public class ReportRepository {

    private static final String LIST = """
            SELECT to_jsonb(r) - 'file_path' AS doc FROM analytics_reports r
            WHERE workflow_id = $1 AND ($2::varchar IS NULL OR status = $2)
            ORDER BY created_at DESC, id LIMIT $3""";
    private static final String STATUS = """
            SELECT workflow_id, status, progress, estimated_completion, file_path, error_message
            FROM analytics_reports WHERE id = $1""";

    private final Pool pool;

    public ReportRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Map<String, Object>>> list(String workflowId, String status, int limit) {
        return RowDocuments.list(pool, LIST, Tuple.of(UUID.fromString(workflowId), status, limit));
    }

    /** The report's workflow and status, or null when no report has this id. */
    public Uni<StoredStatus> status(UUID reportId) {
        return pool.preparedQuery(STATUS).execute(Tuple.of(reportId))
                .map(rows -> rows.size() == 0 ? null : toStatus(rows.iterator().next()));
    }

    private static StoredStatus toStatus(Row row) {
        OffsetDateTime eta = row.getOffsetDateTime("estimated_completion");
        return new StoredStatus(row.getUUID("workflow_id").toString(), row.getString("status"),
                row.getInteger("progress"), eta == null ? null : eta.toInstant(),
                row.getString("file_path") != null, row.getString("error_message"));
    }

    /** What the status endpoint needs of a stored report; the file's path stays inside the service. */
    public record StoredStatus(String workflowId, String status, int progress, java.time.Instant estimatedCompletion,
                               boolean hasFile, String error) {
    }
}
