package io.workflowanalytics.common.persistence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * JSONB values through the reactive client: read as plain maps and lists that Jackson writes as they are, and
 * written from any value Jackson can serialise.
 */
public final class JsonColumns {

    private JsonColumns() {
    }

    public static Object plain(Object value) {
        if (value instanceof JsonObject object) {
            return object.getMap();
        }
        if (value instanceof JsonArray array) {
            return array.getList();
        }
        return value;
    }

    /** A JSONB parameter from a record, list or map (a JSON object or array as the value serialises). */
    public static Object of(com.fasterxml.jackson.databind.ObjectMapper mapper, Object value) {
        com.fasterxml.jackson.databind.JsonNode node = mapper.valueToTree(value);
        if (node.isArray()) {
            return new JsonArray(mapper.convertValue(node, java.util.List.class));
        }
        if (node.isObject()) {
            return new JsonObject(mapper.convertValue(node, java.util.Map.class));
        }
        return new JsonObject();
    }
}
