package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.Alert;
import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.events.AlertType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored alert (table alerts): the spec's Alert fields, then its rule, what was measured and its lifecycle.
 * {@code timestamp} is when it fired.
 */
@Schema(name = "StoredAlert")
public record StoredAlert(
        UUID id,
        @Schema(example = "error_rate_spike") AlertType type,
        @Schema(example = "critical") AlertSeverity severity,
        @Schema(example = "Error rate spike: 12.0 % of executions failing") String title,
        String description,
        Instant timestamp,
        @Schema(example = "active") AlertStatus status,
        @Schema(example = "[\"fetch\"]") List<String> affectedComponents,
        List<String> recommendations,
        @Schema(example = "12.0 % of executions failing vs 1.1 % baseline; ~340 failed executions/hour at the "
                + "current rate") String estimatedImpact,
        UUID workflowId,
        UUID ruleId,
        @Schema(description = "the measured value when it fired", example = "0.12") Double value,
        @Schema(description = "the fire level it was compared with", example = "0.1") Double threshold,
        @Schema(description = "the baseline learned when it fired", example = "0.011") Double baseline,
        Instant acknowledgedAt,
        String acknowledgedBy,
        Instant suppressedUntil,
        String suppressedBy,
        Instant resolvedAt,
        String resolvedBy,
        @Schema(description = "condition_cleared, manual, rule_deleted, rule_disabled, rule_replaced",
                example = "condition_cleared") String resolution,
        Instant updatedAt) {

    public boolean open() {
        return status != AlertStatus.RESOLVED;
    }

    /** The contract's Alert (events, dashboard). */
    public Alert toAlert() {
        return new Alert(id.toString(), type, severity, title, description, timestamp, status, affectedComponents,
                recommendations, estimatedImpact);
    }

    AlertStateMachine.Open asOpen() {
        return open() ? new AlertStateMachine.Open(status, suppressedUntil) : null;
    }

    StoredAlert acknowledged(String by, Instant at) {
        return lifecycle(AlertStatus.ACKNOWLEDGED, at, by, suppressedUntil, suppressedBy, null, null, null);
    }

    StoredAlert suppressed(Instant until, String by) {
        return lifecycle(AlertStatus.SUPPRESSED, acknowledgedAt, acknowledgedBy, until, by, null, null, null);
    }

    StoredAlert resolved(String by, String reason, Instant at) {
        return lifecycle(AlertStatus.RESOLVED, acknowledgedAt, acknowledgedBy, suppressedUntil, suppressedBy, at, by,
                reason);
    }

    /** Suppression over while the condition still holds: active again (it needs attention again). */
    StoredAlert reactivated() {
        return lifecycle(AlertStatus.ACTIVE, acknowledgedAt, acknowledgedBy, suppressedUntil, suppressedBy, null,
                null, null);
    }

    private StoredAlert lifecycle(AlertStatus s, Instant ackAt, String ackBy, Instant supUntil, String supBy,
                                  Instant resAt, String resBy, String reason) {
        return new StoredAlert(id, type, severity, title, description, timestamp, s, affectedComponents,
                recommendations, estimatedImpact, workflowId, ruleId, value, threshold, baseline, ackAt, ackBy,
                supUntil, supBy, resAt, resBy, reason, updatedAt);
    }
}
