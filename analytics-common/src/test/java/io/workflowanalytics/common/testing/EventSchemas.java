package io.workflowanalytics.common.testing;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The contracts' JSON Schemas in docs/events, for tests that check what a service really put on a topic. */
public final class EventSchemas {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private EventSchemas() {
    }

    public static Path dir() {
        return ProjectRoot.get().resolve("docs/events");
    }

    /** docs/events/{name}.schema.json. */
    public static Schema schema(String name) {
        try {
            return SCHEMAS.getSchema(Files.readString(dir().resolve(name + ".schema.json")), InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What in the JSON document violates the schema; empty when it is valid. */
    public static List<Error> violations(String name, String json) {
        return schema(name).validate(json, InputFormat.JSON);
    }
}
