package io.workflowanalytics.common.persistence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSONB values read through the reactive client, as plain maps and lists that Jackson writes as they are. */
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
}
