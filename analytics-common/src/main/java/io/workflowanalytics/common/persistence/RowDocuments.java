package io.workflowanalytics.common.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored rows as JSON documents with the API's camelCase field names: the query selects one JSONB column named
 * {@code doc} (for example {@code to_jsonb(t) - 'secret_column'}), and each row comes back as a map whose top-level
 * snake_case keys are camelCased. For listings of stored entities whose JSONB columns are already in wire form.
 */
public final class RowDocuments {

    private RowDocuments() {
    }

    public static Uni<List<Map<String, Object>>> list(Pool pool, String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Map<String, Object>> docs = new ArrayList<>(rows.size());
            rows.forEach(row -> docs.add(document(row.getJson("doc"))));
            return docs;
        });
    }

    /** The first document of the query, or null when it found no row. */
    public static Uni<Map<String, Object>> first(Pool pool, String sql, Tuple params) {
        return list(pool, sql, params).map(docs -> docs.isEmpty() ? null : docs.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(Object json) {
        Map<String, Object> row = (Map<String, Object>) JsonColumns.plain(json);
        Map<String, Object> doc = new LinkedHashMap<>();
        row.forEach((key, value) -> doc.put(camelCase(key), value));
        return doc;
    }

    static String camelCase(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
