package io.workflowanalytics.sharing.shares;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.persistence.RowDocuments;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads sharing.analytics_shares. The token hash and password hash never leave the database through here. */
@ApplicationScoped
public class ShareRepository {

    private static final String FIND = """
            SELECT to_jsonb(s) - 'share_token' - 'password_hash'
                   || jsonb_build_object('passwordProtected', s.password_hash IS NOT NULL) AS doc
            FROM analytics_shares s
            WHERE workflow_id = $1
            ORDER BY created_at DESC, id LIMIT $2""";

    private final Pool pool;

    public ShareRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Map<String, Object>>> list(String workflowId, int limit) {
        return RowDocuments.list(pool, FIND, Tuple.of(UUID.fromString(workflowId), limit));
    }
}
