package io.workflowanalytics.ingest.pipeline;

import java.util.List;

/**
 * PostgreSQL array literals. {@code unnest} flattens a two-dimensional array, so a per-row text[] travels as one
 * literal per row and is cast back with {@code ::text[]}.
 */
final class PgArrays {

    private PgArrays() {
    }

    static String textArrayLiteral(List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            for (char c : values.get(i).toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }
        return out.append('}').toString();
    }
}
