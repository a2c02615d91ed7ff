package io.workflowanalytics.ingest.pipeline;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the runtime engines' input topics in batches (one shared consumer group) and acknowledges a batch only
 * once the pipeline made it durable; the throttled commit strategy then commits those offsets. A poison record is
 * dead-lettered by the pipeline, never thrown: the consumer never stops on bad input.
 */
@ApplicationScoped
public class InputConsumer {

    private final IngestPipeline pipeline;

    public InputConsumer(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Incoming("workflow-metrics")
    public Uni<Void> metrics(KafkaRecordBatch<String, byte[]> batch) {
        return pipeline.metrics(inputs(batch)).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    @Incoming("workflow-executions")
    public Uni<Void> executions(KafkaRecordBatch<String, byte[]> batch) {
        return pipeline.executions(inputs(batch)).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private static List<InputRecord> inputs(KafkaRecordBatch<String, byte[]> batch) {
        List<InputRecord> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> r : batch) {
            long offset = r.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                    .orElse(-1L);
            records.add(new InputRecord(r.getTopic(), r.getPartition(), offset, r.getKey(), r.getPayload()));
        }
        return records;
    }
}
