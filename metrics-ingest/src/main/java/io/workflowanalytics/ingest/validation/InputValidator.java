package io.workflowanalytics.ingest.validation;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.CostCategory;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.ErrorType;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.UserType;
import io.workflowanalytics.common.events.Uuids;
import io.workflowanalytics.common.events.WireEnum;
import io.workflowanalytics.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.workflowanalytics.ingest.validation.RejectReason.INVALID_VALUE;
import static io.workflowanalytics.ingest.validation.RejectReason.MISSING_FIELD;
import static io.workflowanalytics.ingest.validation.RejectReason.OUT_OF_RANGE_TIMESTAMP;

/**
 * Decides whether an input record may enter the raw store: it must parse as its contract, carry every required
 * field, use known enum values, hold finite numbers within bounds, be timed within the retention window and not in
 * the future, and keep within the limits on dimensions, tags and size. The first fault found is the rejection.
 */
@ApplicationScoped
public class InputValidator {

    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final int MAX_TAG_LENGTH = 64;
    private static final int MAX_KEY_LENGTH = 64;
    private static final int MAX_NODES = 500;
    private static final int MAX_COSTS = 32;
    private static final int MAX_TEXT = 2000;

    private final IngestConfig config;

    public InputValidator(IngestConfig config) {
        this.config = config;
    }

    /** The outcome of checking one record: the parsed value, or why it was rejected. */
    public record Checked<T>(T value, Rejection rejection) {
        public boolean valid() {
            return rejection == null;
        }
    }

    public Checked<AnalyticsMetric> metric(byte[] bytes, Instant now) {
        return check(bytes, AnalyticsMetric.class, m -> validate(m, now));
    }

    public Checked<ExecutionEvent> execution(byte[] bytes, Instant now) {
        return check(bytes, ExecutionEvent.class, e -> validate(e, now));
    }

    private <T> Checked<T> check(byte[] bytes, Class<T> type, java.util.function.Function<T, Rejection> rules) {
        if (bytes == null || bytes.length == 0) {
            return new Checked<>(null, Rejection.of(RejectReason.MALFORMED_JSON, "record", "is empty"));
        }
        if (bytes.length > config.maxRecordBytes()) {
            return new Checked<>(null, Rejection.of(RejectReason.TOO_LARGE, "record",
                    bytes.length + " bytes exceed the limit of " + config.maxRecordBytes()));
        }
        T value;
        try {
            value = EventJson.fromBytes(bytes, type);
        } catch (IOException e) {
            return new Checked<>(null, parseFault(e));
        }
        if (value == null) {
            return new Checked<>(null, Rejection.of(RejectReason.MALFORMED_JSON, "record", "is null"));
        }
        Rejection rejection = rules.apply(value);
        return new Checked<>(rejection == null ? value : null, rejection);
    }

    static Rejection parseFault(IOException e) {
        if (e instanceof StreamReadException) {
            return Rejection.of(RejectReason.MALFORMED_JSON, "record", "is not valid JSON: " + firstLine(e));
        }
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m) : "record";
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            String choices = Arrays.stream(f.getTargetType().getEnumConstants())
                    .map(c -> ((WireEnum) c).wire()).collect(Collectors.joining(", "));
            return Rejection.of(RejectReason.UNKNOWN_ENUM, field, "\"" + f.getValue() + "\" is not one of " + choices);
        }
        String detail = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return Rejection.of(INVALID_VALUE, field, firstLine(detail));
    }

    Rejection validate(AnalyticsMetric m, Instant now) {
        Rejection r = envelope(m.eventId(), m.schemaVersion(), m.occurredAt());
        if (r == null) r = uuid("id", m.id());
        if (r == null) r = uuid("workflowId", m.workflowId());
        if (r == null) r = required("metricType", m.metricType());
        if (r == null) r = required("source", m.source());
        if (r == null) r = required("aggregationLevel", m.aggregationLevel());
        if (r == null) r = value(m.metricType(), m.value());
        if (r == null) r = timestamp("timestamp", m.timestamp(), now);
        if (r == null) r = dimensions(m.dimensions());
        if (r == null) r = tags(m.tags());
        return r;
    }

    Rejection validate(ExecutionEvent e, Instant now) {
        Rejection r = envelope(e.eventId(), e.schemaVersion(), e.occurredAt());
        if (r == null) r = required("type", e.type());
        if (r == null) r = uuid("executionId", e.executionId());
        if (r == null) r = uuid("workflowId", e.workflowId());
        if (r == null) r = timestamp("startedAt", e.startedAt(), now);
        if (r == null) r = text("workflowVersion", e.workflowVersion(), 64);
        if (r == null) r = text("environment", e.environment(), 64);
        if (r == null) r = text("userId", e.userId(), 128);
        if (r == null) r = text("region", e.region(), 64);
        if (r == null) r = text("deviceType", e.deviceType(), 32);
        if (r == null) r = text("errorMessage", e.errorMessage(), MAX_TEXT);
        if (r == null && e.country() != null && !COUNTRY.matcher(e.country()).matches()) {
            r = Rejection.of(INVALID_VALUE, "country", "must be an ISO 3166-1 alpha-2 code such as DE");
        }
        if (r == null && e.type() != ExecutionEventType.EXECUTION_STARTED) {
            r = outcome(e, now);
        } else if (r == null) {
            r = partialOutcome(e, now);
        }
        if (r == null) r = nodes(e.nodes());
        if (r == null) r = resources(e.resourceUsage());
        if (r == null) r = costs(e.costs());
        return r;
    }

    private Rejection outcome(ExecutionEvent e, Instant now) {
        Rejection r = timestamp("finishedAt", e.finishedAt(), now);
        if (r == null && e.finishedAt().isBefore(e.startedAt())) {
            r = Rejection.of(INVALID_VALUE, "finishedAt", "must not be before startedAt");
        }
        if (r == null) r = required("durationMs", e.durationMs());
        if (r == null) r = nonNegative("durationMs", e.durationMs());
        if (r == null && e.type() == ExecutionEventType.EXECUTION_FAILED) r = required("errorType", e.errorType());
        return r;
    }

    /**
     * A started event needs no outcome, but what it carries of one is stored (the upsert keeps it until the outcome
     * arrives, for good when none does): held to the same rules.
     */
    private Rejection partialOutcome(ExecutionEvent e, Instant now) {
        Rejection r = null;
        if (e.finishedAt() != null) {
            r = timestamp("finishedAt", e.finishedAt(), now);
            if (r == null && e.finishedAt().isBefore(e.startedAt())) {
                r = Rejection.of(INVALID_VALUE, "finishedAt", "must not be before startedAt");
            }
        }
        if (r == null && e.durationMs() != null) r = nonNegative("durationMs", e.durationMs());
        return r;
    }

    private Rejection nodes(List<ExecutionEvent.NodeExecution> nodes) {
        if (nodes == null) {
            return null;
        }
        if (nodes.size() > MAX_NODES) {
            return Rejection.of(INVALID_VALUE, "nodes", "has " + nodes.size() + " entries, at most " + MAX_NODES);
        }
        for (int i = 0; i < nodes.size(); i++) {
            ExecutionEvent.NodeExecution n = nodes.get(i);
            String at = "nodes[" + i + "]";
            if (n == null) return Rejection.of(MISSING_FIELD, at, "is null");
            Rejection r = required(at + ".nodeId", blankToNull(n.nodeId()));
            if (r == null) r = text(at + ".nodeId", n.nodeId(), 128);
            if (r == null) r = text(at + ".nodeType", n.nodeType(), 64);
            if (r == null) r = required(at + ".status", n.status());
            if (r == null && n.durationMs() != null) r = nonNegative(at + ".durationMs", n.durationMs());
            if (r == null) r = text(at + ".errorMessage", n.errorMessage(), MAX_TEXT);
            if (r != null) return r;
        }
        return null;
    }

    private Rejection resources(ExecutionEvent.ResourceUsage u) {
        if (u == null) {
            return null;
        }
        Rejection r = null;
        if (u.cpuPercent() != null) r = range("resourceUsage.cpuPercent", u.cpuPercent(), 0, 100);
        if (r == null && u.memoryMb() != null) r = nonNegative("resourceUsage.memoryMb", u.memoryMb());
        if (r == null && u.networkLatencyMs() != null) r = nonNegative("resourceUsage.networkLatencyMs", u.networkLatencyMs());
        if (r == null && u.networkBytesIn() != null) r = nonNegative("resourceUsage.networkBytesIn", u.networkBytesIn());
        if (r == null && u.networkBytesOut() != null) r = nonNegative("resourceUsage.networkBytesOut", u.networkBytesOut());
        return r;
    }

    private Rejection costs(List<ExecutionEvent.CostItem> costs) {
        if (costs == null) {
            return null;
        }
        if (costs.size() > MAX_COSTS) {
            return Rejection.of(INVALID_VALUE, "costs", "has " + costs.size() + " entries, at most " + MAX_COSTS);
        }
        for (int i = 0; i < costs.size(); i++) {
            ExecutionEvent.CostItem c = costs.get(i);
            String at = "costs[" + i + "]";
            if (c == null) return Rejection.of(MISSING_FIELD, at, "is null");
            Rejection r = required(at + ".component", c.component());
            if (r == null) r = required(at + ".amount", c.amount());
            if (r == null) r = nonNegative(at + ".amount", c.amount());
            if (r == null && c.quantity() != null) r = nonNegative(at + ".quantity", c.quantity());
            if (r == null && c.unitPrice() != null) r = nonNegative(at + ".unitPrice", c.unitPrice());
            if (r == null) r = text(at + ".unit", c.unit(), 32);
            if (r != null) return r;
        }
        double total = costs.stream().mapToDouble(ExecutionEvent.CostItem::amount).sum();
        return nonNegative("costs", total);
    }

    private Rejection envelope(String eventId, Integer schemaVersion, Instant occurredAt) {
        Rejection r = uuid("eventId", eventId);
        if (r == null) r = required("schemaVersion", schemaVersion);
        if (r == null && schemaVersion != EventJson.SCHEMA_VERSION) {
            r = Rejection.of(INVALID_VALUE, "schemaVersion", schemaVersion + " is not supported; this service reads "
                    + EventJson.SCHEMA_VERSION);
        }
        if (r == null) r = required("occurredAt", occurredAt);
        return r;
    }

    private Rejection value(MetricType type, Double value) {
        Rejection r = required("value", value);
        if (r != null) return r;
        if (!Double.isFinite(value) || Math.abs(value) > config.maxAbsValue()) {
            return Rejection.of(INVALID_VALUE, "value", "must be a finite number within ±" + (long) config.maxAbsValue());
        }
        return switch (type) {
            case SUCCESS_RATE, ERROR_RATE -> range("value", value, 0, 1);
            case EXECUTION_COUNT, EXECUTION_TIME, COST, THROUGHPUT, RESOURCE_USAGE -> nonNegative("value", value);
        };
    }

    private Rejection timestamp(String field, Instant t, Instant now) {
        Rejection r = required(field, t);
        if (r != null) return r;
        if (t.isAfter(now.plus(config.maxFutureSkew()))) {
            return Rejection.of(OUT_OF_RANGE_TIMESTAMP, field, t + " lies more than " + config.maxFutureSkew().toMinutes()
                    + " minutes in the future");
        }
        Instant oldest = now.minus(Duration.ofDays(config.retention().rawRetentionDays()));
        if (t.isBefore(oldest)) {
            return Rejection.of(OUT_OF_RANGE_TIMESTAMP, field, t + " is older than the retention window of "
                    + config.retention().rawRetentionDays() + " days");
        }
        return null;
    }

    private Rejection dimensions(Map<String, Object> dimensions) {
        if (dimensions == null) {
            return null;
        }
        if (dimensions.size() > config.maxDimensions()) {
            return Rejection.of(INVALID_VALUE, "dimensions", "has " + dimensions.size() + " keys, at most "
                    + config.maxDimensions());
        }
        for (Map.Entry<String, Object> e : dimensions.entrySet()) {
            String key = e.getKey();
            String at = "dimensions." + key;
            Object v = e.getValue();
            if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
                return Rejection.of(INVALID_VALUE, "dimensions", "keys must have 1 to " + MAX_KEY_LENGTH + " characters");
            }
            if (key.indexOf('\0') >= 0) {
                return Rejection.of(INVALID_VALUE, "dimensions", "keys must not contain NUL characters");
            }
            if (v instanceof String s) {
                Rejection r = text(at, s, config.maxLabelLength());
                if (r == null) r = wellKnown(key, s);
                if (r != null) return r;
            } else if (v instanceof Number n) {
                if (!Double.isFinite(n.doubleValue())) return Rejection.of(INVALID_VALUE, at, "must be finite");
            } else if (!(v instanceof Boolean)) {
                return Rejection.of(INVALID_VALUE, at, "must be a string, number or boolean");
            }
        }
        return null;
    }

    /** The well-known dimensions with a closed set of values must use one of them. */
    private static Rejection wellKnown(String key, String value) {
        Class<? extends Enum<?>> type = switch (key) {
            case Dimensions.ERROR_TYPE -> ErrorType.class;
            case Dimensions.USER_TYPE -> UserType.class;
            case Dimensions.COST_COMPONENT -> CostCategory.class;
            default -> null;
        };
        if (type == null) {
            return null;
        }
        for (Enum<?> c : type.getEnumConstants()) {
            if (((WireEnum) c).wire().equals(value)) {
                return null;
            }
        }
        return Rejection.of(RejectReason.UNKNOWN_ENUM, "dimensions." + key, "\"" + value + "\" is not one of "
                + Arrays.stream(type.getEnumConstants()).map(c -> ((WireEnum) c).wire()).collect(Collectors.joining(", ")));
    }

    private Rejection tags(List<String> tags) {
        if (tags == null) {
            return null;
        }
        if (tags.size() > config.maxTags()) {
            return Rejection.of(INVALID_VALUE, "tags", "has " + tags.size() + " entries, at most " + config.maxTags());
        }
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t == null || t.isBlank() || t.length() > MAX_TAG_LENGTH) {
                return Rejection.of(INVALID_VALUE, "tags[" + i + "]", "must have 1 to " + MAX_TAG_LENGTH + " characters");
            }
            Rejection r = text("tags[" + i + "]", t, MAX_TAG_LENGTH);
            if (r != null) return r;
        }
        return null;
    }

    private static Rejection uuid(String field, String value) {
        Rejection r = required(field, blankToNull(value));
        if (r == null && !Uuids.isLowerCase(value)) {
            r = Rejection.of(INVALID_VALUE, field, "must be a lower-case UUID");
        }
        return r;
    }

    private static Rejection required(String field, Object value) {
        return value == null ? Rejection.of(MISSING_FIELD, field, "is required") : null;
    }

    private static Rejection text(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            return Rejection.of(INVALID_VALUE, field, "is longer than " + max + " characters");
        }
        // PostgreSQL's text and jsonb cannot hold NUL: caught here, it is a reject instead of a stuck batch.
        return value.indexOf('\0') >= 0 ? Rejection.of(INVALID_VALUE, field, "must not contain NUL characters") : null;
    }

    /** Finite, ≥ 0 and within the raw store's DECIMAL(15,6). */
    private Rejection nonNegative(String field, double value) {
        return !Double.isFinite(value) || value < 0 || value > config.maxAbsValue()
                ? Rejection.of(INVALID_VALUE, field, "must be a finite number from 0 to " + (long) config.maxAbsValue())
                : null;
    }

    private static Rejection range(String field, double value, double min, double max) {
        return !Double.isFinite(value) || value < min || value > max
                ? Rejection.of(INVALID_VALUE, field, "must be between " + fmt(min) + " and " + fmt(max)) : null;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String path(JsonMappingException m) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String firstLine(Object message) {
        String s = String.valueOf(message instanceof Throwable t ? t.getMessage() : message);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
