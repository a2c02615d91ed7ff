package io.workflowanalytics.ingest.validation;

import io.workflowanalytics.common.events.WireEnum;

/** Why an input record was rejected: the {@code dlq-reason} header and the metric label of rejected counts. */
public enum RejectReason implements WireEnum {
    MALFORMED_JSON, MISSING_FIELD, INVALID_VALUE, UNKNOWN_ENUM, OUT_OF_RANGE_TIMESTAMP, TOO_LARGE
}
