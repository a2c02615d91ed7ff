package io.workflowanalytics.ingest.pipeline;

/** One record as it arrived on an input topic: where from, and its original key and value bytes. */
public record InputRecord(String topic, int partition, long offset, String key, byte[] value) {
}
