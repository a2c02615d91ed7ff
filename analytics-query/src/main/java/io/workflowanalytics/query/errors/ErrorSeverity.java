package io.workflowanalytics.query.errors;

import io.workflowanalytics.common.events.WireEnum;

/** Severity of an error category (spec: ErrorCategory.severity); rule in docs/views/errors.md. */
public enum ErrorSeverity implements WireEnum {
    LOW, MEDIUM, HIGH, CRITICAL;

    /** This severity raised by {@code steps} levels, never above critical. */
    ErrorSeverity raise(int steps) {
        return values()[Math.min(CRITICAL.ordinal(), ordinal() + steps)];
    }
}
