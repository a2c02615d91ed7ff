package io.workflowanalytics.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits and policies of the write path ({@code wa.ingest.*}). */
@ConfigMapping(prefix = "wa.ingest")
public interface IngestConfig {

    /** Largest accepted input record (one metric or execution event), in bytes. */
    @WithDefault("65536")
    int maxRecordBytes();

    /** Largest HTTP intake body; larger ones get 413. Below quarkus.http.limits.max-body-size. */
    @WithDefault("5242880")
    int maxHttpBodyBytes();

    /** Most items in one HTTP batch. */
    @WithDefault("10000")
    int maxBatchItems();

    /** How far in the future a timestamp may lie (producer clock skew). */
    @WithDefault("5m")
    Duration maxFutureSkew();

    /** Most dimension keys per metric. */
    @WithDefault("32")
    int maxDimensions();

    /** Most tags per metric. */
    @WithDefault("32")
    int maxTags();

    /** Longest dimension value or tag, in characters. */
    @WithDefault("256")
    int maxLabelLength();

    /** Largest absolute metric value (the raw store's DECIMAL(15,6)). */
    @WithDefault("999999999")
    double maxAbsValue();

    /** Metrics batches processed at once by the one consumer: overlaps database and Kafka work. */
    @WithDefault("3")
    int metricsBatchesInFlight();

    /**
     * Executions batches processed at once: one stores while the one before it publishes. Their events are published
     * in arrival order whatever this is.
     */
    @WithDefault("2")
    int executionsBatchesInFlight();

    Retention retention();

    /** The spec's DataRetentionPolicy.rawMetrics, applied to raw metrics and executions. */
    interface Retention {

        /** Raw rows older than this are dropped with their partition; older input is rejected. */
        @WithDefault("120")
        int rawRetentionDays();

        /** Daily partitions created ahead of today. */
        @WithDefault("7")
        int partitionsAheadDays();

        /** How often the partition job runs (also once at start-up). */
        @WithDefault("1h")
        String checkEvery();
    }
}
