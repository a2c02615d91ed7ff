package io.workflowanalytics.ingest.pipeline;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.messaging.KafkaSends;
import io.workflowanalytics.ingest.validation.Rejection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything metrics-ingest writes to Kafka, keyed by workflowId: normalised metrics and executions after they are
 * stored, dead letters with their reason, and the HTTP intake onto the input topics. Each method completes when the
 * broker has acknowledged every record of the call (acks=all, idempotent producer), so callers commit offsets or
 * answer HTTP only after that.
 * <p>
 * One Kafka producer, used directly: a batch is thousands of records, and a Reactive Messaging emitter's per-message
 * Message, metadata and Uni cost more CPU than the rest of the write path (measured in the ingest benchmark).
 */
@Startup // a producer misconfiguration fails the boot, not the first request
@ApplicationScoped
public class EventPublisher {

    /** A dead letter's key, value and headers together: below the broker's default message.max.bytes. */
    static final int MAX_DEAD_LETTER_BYTES = 900_000;
    /** Longer keys are not kept on a dead letter. */
    static final int MAX_DEAD_LETTER_KEY_BYTES = 1024;

    private final KafkaProducer<String, byte[]> producer;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "metrics-ingest-publisher"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 5),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 131072),
                // Uncompressed: LZ4 took an eighth of the write path's CPU (profiled) and the broker is near.
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * 1024 * 1024),
                // Fail a send within 30 s when the broker is gone: the pipeline retries it, the intake answers 503.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)),
                new StringSerializer(), new ByteArraySerializer());
    }

    public Uni<Void> publishMetrics(List<AnalyticsMetric> batch) {
        return sendAll(() -> batch.stream().map(m -> new ProducerRecord<String, byte[]>(Topics.ANALYTICS_METRICS,
                m.workflowId(), EventJson.toBytes(m))).toList());
    }

    public Uni<Void> publishExecutions(List<ExecutionEvent> batch) {
        return sendAll(() -> batch.stream().map(e -> new ProducerRecord<String, byte[]>(Topics.ANALYTICS_EXECUTIONS,
                e.workflowId(), EventJson.toBytes(e))).toList());
    }

    /** The HTTP intake: original item bytes onto the input topic, as a Kafka producer would have sent them. */
    public Uni<Void> intake(String topic, List<KeyedBytes> records) {
        return sendAll(() -> records.stream().map(r -> new ProducerRecord<String, byte[]>(topic, r.key(), r.value()))
                .toList());
    }

    /** Dead-letters: the original key and bytes, and headers that say why and where from. */
    public Uni<Void> deadLetter(List<Rejected> rejected) {
        return sendAll(() -> deadLetters(rejected));
    }

    static List<ProducerRecord<String, byte[]>> deadLetters(List<Rejected> rejected) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(rejected.size());
        String failedAt = Instant.now().toString();
        for (Rejected r : rejected) {
            RecordHeaders headers = new RecordHeaders();
            header(headers, Topics.DLQ_REASON_HEADER, r.rejection().reason().wire());
            header(headers, Topics.DLQ_DETAIL_HEADER, r.rejection().detail());
            header(headers, Topics.DLQ_SOURCE_TOPIC_HEADER, r.record().topic());
            header(headers, Topics.DLQ_SOURCE_PARTITION_HEADER, Integer.toString(r.record().partition()));
            header(headers, Topics.DLQ_SOURCE_OFFSET_HEADER, Long.toString(r.record().offset()));
            header(headers, Topics.DLQ_FAILED_AT_HEADER, failedAt);
            // The broker takes about 1 MB per record, key and headers included: a dead letter it refused would be
            // retried for ever and hold up its channel. A huge key (no producer of ours writes one) is dropped, and
            // of a huge value the head is kept; the header says how large the original was.
            String key = r.record().key();
            int keyBytes = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
            if (keyBytes > MAX_DEAD_LETTER_KEY_BYTES) {
                key = null;
                keyBytes = 0;
            }
            int headerBytes = 0;
            for (org.apache.kafka.common.header.Header h : headers) {
                headerBytes += h.key().length() + h.value().length;
            }
            byte[] value = r.record().value();
            int room = Math.max(0, MAX_DEAD_LETTER_BYTES - keyBytes - headerBytes - 64);
            if (value != null && value.length > room) {
                header(headers, Topics.DLQ_ORIGINAL_SIZE_HEADER, Integer.toString(value.length));
                value = java.util.Arrays.copyOf(value, room);
            }
            records.add(new ProducerRecord<>(Topics.WORKFLOW_DLQ, null, key, value, headers));
        }
        return records;
    }

    /** A rejected input record and why. */
    public record Rejected(InputRecord record, Rejection rejection) {
    }

    /** A record to produce: key and value bytes. */
    public record KeyedBytes(String key, byte[] value) {
    }

    /** Completes once the broker acknowledged every record built, or fails with the first error. */
    private Uni<Void> sendAll(java.util.function.Supplier<List<ProducerRecord<String, byte[]>>> build) {
        return KafkaSends.all(producer, build);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
