package io.workflowanalytics.query.rollup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The nodes a workflow's executions reported, node id to node type. */
@ApplicationScoped
public class NodeCatalog {

    private final Pool pool;

    public NodeCatalog(Pool pool) {
        this.pool = pool;
    }

    public Uni<Map<String, String>> types(UUID workflow) {
        return pool.preparedQuery("SELECT node_id, node_type FROM workflow_nodes WHERE workflow_id = $1")
                .execute(Tuple.of(workflow)).map(rows -> {
                    Map<String, String> out = new HashMap<>();
                    for (Row row : rows) {
                        out.put(row.getString(0), row.getString(1));
                    }
                    return out;
                });
    }
}
