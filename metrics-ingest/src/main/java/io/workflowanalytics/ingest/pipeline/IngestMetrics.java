package io.workflowanalytics.ingest.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.workflowanalytics.ingest.validation.RejectReason;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The write path's Prometheus figures: records by outcome (stored, duplicate, rejected) and input topic, rejections
 * by reason, and batch latency. Consumer lag comes from the Kafka client's own metrics
 * ({@code kafka_consumer_fetch_manager_records_lag_max}).
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void batch(String topic, int stored, int duplicates, int rejected, Duration took) {
        counter(topic, "stored").increment(stored);
        counter(topic, "duplicate").increment(duplicates);
        counter(topic, "rejected").increment(rejected);
        Timer.builder("wa.ingest.batch").description("Time from receiving an input batch to its acknowledgement")
                .tag("topic", topic).publishPercentiles(0.5, 0.99).register(registry).record(took);
    }

    public void rejected(String topic, RejectReason reason) {
        Counter.builder("wa.ingest.rejected").description("Input records rejected, by reason")
                .tag("topic", topic).tag("reason", reason.wire()).register(registry).increment();
    }

    private Counter counter(String topic, String outcome) {
        return Counter.builder("wa.ingest.records").description("Input records by outcome")
                .tag("topic", topic).tag("outcome", outcome).register(registry);
    }
}
