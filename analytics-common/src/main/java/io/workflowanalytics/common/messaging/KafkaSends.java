package io.workflowanalytics.common.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sending a batch of records on a plain KafkaProducer (metrics-ingest's publisher, analytics-query's alert outbox):
 * completes once the broker acknowledged every record, or fails with the first error.
 */
public final class KafkaSends {

    private KafkaSends() {
    }

    /**
     * Builds the records and sends every one. Runs on a worker thread: building thousands of records is CPU work,
     * and {@code send} blocks while it fetches a topic's metadata or while the buffer is full.
     */
    public static <K, V> Uni<Void> all(Producer<K, V> producer, Supplier<List<ProducerRecord<K, V>>> build) {
        return Uni.createFrom().<Void>emitter(emitter -> {
            List<ProducerRecord<K, V>> records = build.get();
            if (records.isEmpty()) {
                emitter.complete(null);
                return;
            }
            AtomicInteger pending = new AtomicInteger(records.size());
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (ProducerRecord<K, V> record : records) {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    if (pending.decrementAndGet() == 0) {
                        if (failure.get() == null) {
                            emitter.complete(null);
                        } else {
                            emitter.fail(failure.get());
                        }
                    }
                });
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
