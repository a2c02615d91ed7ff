package io.workflowanalytics.ingest.validation;

/** One fault of an input record: its class, the field it concerns, and what is wrong with that field. */
public record Rejection(RejectReason reason, String field, String message) {

    public static Rejection of(RejectReason reason, String field, String message) {
        return new Rejection(reason, field, message);
    }

    /** A sentence naming the field, as the dead-letter topic's {@code dlq-detail} header carries it. */
    public String detail() {
        return field + ": " + message;
    }
}
