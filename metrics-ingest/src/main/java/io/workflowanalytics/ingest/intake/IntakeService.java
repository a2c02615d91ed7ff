package io.workflowanalytics.ingest.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.problem.Problem;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.WorkflowAccess;
import io.workflowanalytics.ingest.config.IngestConfig;
import io.workflowanalytics.ingest.pipeline.EventPublisher;
import io.workflowanalytics.ingest.pipeline.EventPublisher.KeyedBytes;
import io.workflowanalytics.ingest.validation.InputValidator;
import io.workflowanalytics.ingest.validation.InputValidator.Checked;
import io.workflowanalytics.ingest.validation.Rejection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The HTTP way in for producers that cannot speak Kafka: items are validated by the same rules as Kafka records,
 * the valid ones produced onto the input topic and acknowledged by the broker before the caller hears back, so that
 * from then on they follow the Kafka path (dedupe, store, publish).
 */
@ApplicationScoped
public class IntakeService {

    private static final ObjectMapper JSON = EventJson.mapper();

    private final InputValidator validator;
    private final EventPublisher publisher;
    private final WorkflowAccess access;
    private final IngestConfig config;

    public IntakeService(InputValidator validator, EventPublisher publisher, WorkflowAccess access, IngestConfig config) {
        this.validator = validator;
        this.publisher = publisher;
        this.access = access;
        this.config = config;
    }

    public Uni<IntakeResult> metrics(byte[] body, SecurityIdentity caller) {
        return intake(body, caller, Topics.WORKFLOW_METRICS, validator::metric, AnalyticsMetric::workflowId);
    }

    public Uni<IntakeResult> executions(byte[] body, SecurityIdentity caller) {
        return intake(body, caller, Topics.WORKFLOW_EXECUTIONS, validator::execution, ExecutionEvent::workflowId);
    }

    private <T> Uni<IntakeResult> intake(byte[] body, SecurityIdentity caller, String topic,
                                         BiFunction<byte[], Instant, Checked<T>> check,
                                         Function<T, String> workflowOf) {
        JsonNode items = parseArray(body);
        Instant now = Instant.now();
        List<KeyedBytes> accepted = new ArrayList<>(items.size());
        List<Problem.FieldError> rejected = new ArrayList<>();
        TreeSet<String> forbidden = new TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
            byte[] bytes = bytes(items.get(i));
            Checked<T> checked = check.apply(bytes, now);
            Rejection rejection = checked.rejection();
            if (rejection != null) {
                rejected.add(Problem.FieldError.item(i, rejection.field(), rejection.message(),
                        rejection.reason().wire()));
                continue;
            }
            String workflowId = workflowOf.apply(checked.value());
            if (!access.allows(caller, workflowId)) {
                forbidden.add(workflowId);
            }
            accepted.add(new KeyedBytes(workflowId, bytes));
        }
        if (!forbidden.isEmpty()) {
            // All or nothing: a producer writing for workflows it does not own is refused outright.
            throw ProblemException.forbidden("The token does not grant access to workflows " + forbidden);
        }
        if (accepted.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid request",
                    "none of the " + items.size() + " items is valid", rejected);
        }
        return publisher.intake(topic, accepted)
                .onFailure().transform(e -> new ProblemException(503, "unavailable", "Service unavailable",
                        "Kafka did not acknowledge the items (" + e.getClass().getSimpleName()
                                + "); nothing is guaranteed accepted: retry the batch, duplicates are stored once", null))
                .replaceWith(new IntakeResult(accepted.size(), rejected));
    }

    private JsonNode parseArray(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.invalid("body", "must be a JSON array of items");
        }
        if (body.length > config.maxHttpBodyBytes()) {
            throw new ProblemException(413, "payload-too-large", "Payload too large",
                    body.length + " bytes exceed the limit of " + config.maxHttpBodyBytes() + " bytes per request", null);
        }
        JsonNode items;
        try {
            items = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw ProblemException.invalid("body", "is not valid JSON");
        }
        if (items == null || !items.isArray()) {
            throw ProblemException.invalid("body", "must be a JSON array of items");
        }
        if (items.isEmpty() || items.size() > config.maxBatchItems()) {
            throw ProblemException.invalid("body", "must hold 1 to " + config.maxBatchItems() + " items");
        }
        return items;
    }

    private static byte[] bytes(JsonNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON node cannot fail to serialise", e);
        }
    }
}
