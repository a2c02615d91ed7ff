package io.workflowanalytics.ingest.pipeline;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.ingest.validation.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything metrics-ingest writes to Kafka, keyed by workflowId: normalised metrics and executions after they are
 * stored, dead letters with their reason, and the HTTP intake onto the input topics. Every method completes when
 * the broker has acknowledged every record (acks=all), so callers commit offsets or answer HTTP only after that.
 */
@ApplicationScoped
public class EventPublisher {

    // Unbounded on purpose: callers send one batch and await it before the next, which bounds what is in flight.
    private final MutinyEmitter<byte[]> metrics;
    private final MutinyEmitter<byte[]> executions;
    private final MutinyEmitter<byte[]> deadLetters;
    private final MutinyEmitter<byte[]> metricsIntake;
    private final MutinyEmitter<byte[]> executionsIntake;

    public EventPublisher(
            @Channel("analytics-metrics") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> metrics,
            @Channel("analytics-executions") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> executions,
            @Channel("dead-letters") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> deadLetters,
            @Channel("metrics-intake") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> metricsIntake,
            @Channel("executions-intake") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> executionsIntake) {
        this.metrics = metrics;
        this.executions = executions;
        this.deadLetters = deadLetters;
        this.metricsIntake = metricsIntake;
        this.executionsIntake = executionsIntake;
    }

    public Uni<Void> publishMetrics(List<AnalyticsMetric> batch) {
        return all(batch.stream().map(m -> send(metrics, m.workflowId(), EventJson.toBytes(m))).toList());
    }

    public Uni<Void> publishExecutions(List<ExecutionEvent> batch) {
        return all(batch.stream().map(e -> send(executions, e.workflowId(), EventJson.toBytes(e))).toList());
    }

    /** The HTTP intake: original item bytes onto the input topic, as a Kafka producer would have sent them. */
    public Uni<Void> intake(String topic, List<KeyedBytes> records) {
        MutinyEmitter<byte[]> emitter = Topics.WORKFLOW_METRICS.equals(topic) ? metricsIntake : executionsIntake;
        return all(records.stream().map(r -> send(emitter, r.key(), r.value())).toList());
    }

    /** Dead-letters: the original key and bytes, and headers that say why and where from. */
    public Uni<Void> deadLetter(List<Rejected> rejected) {
        List<Uni<Void>> sends = new ArrayList<>(rejected.size());
        for (Rejected r : rejected) {
            RecordHeaders headers = new RecordHeaders();
            header(headers, Topics.DLQ_REASON_HEADER, r.rejection().reason().wire());
            header(headers, Topics.DLQ_DETAIL_HEADER, r.rejection().detail());
            header(headers, Topics.DLQ_SOURCE_TOPIC_HEADER, r.record().topic());
            header(headers, Topics.DLQ_SOURCE_PARTITION_HEADER, Integer.toString(r.record().partition()));
            header(headers, Topics.DLQ_SOURCE_OFFSET_HEADER, Long.toString(r.record().offset()));
            header(headers, Topics.DLQ_FAILED_AT_HEADER, Instant.now().toString());
            OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(r.record().key()).withHeaders(headers).build();
            sends.add(deadLetters.sendMessage(Message.of(r.record().value()).addMetadata(metadata)));
        }
        return all(sends);
    }

    /** A rejected input record and why. */
    public record Rejected(InputRecord record, Rejection rejection) {
    }

    /** A record to produce: key and value bytes. */
    public record KeyedBytes(String key, byte[] value) {
    }

    private static Uni<Void> send(MutinyEmitter<byte[]> emitter, String key, byte[] value) {
        return emitter.sendMessage(Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Uni<Void> all(List<Uni<Void>> sends) {
        return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
    }
}
