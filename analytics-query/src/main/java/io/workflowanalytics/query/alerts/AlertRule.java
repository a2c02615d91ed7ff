package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored rule (table alert_rules): its parameters ({@link RuleParameters}) and evaluation state. {@code defaultKey}
 * names the configured default a rule materialises ({@code error_rate_spike}, {@code resource_exhaustion.cpu}, …);
 * a default's parameters are the configuration's.
 */
@Schema(name = "AlertRule")
public record AlertRule(
        UUID id,
        UUID workflowId,
        @Schema(example = "error_rate_spike") AlertType type,
        boolean enabled,
        @Schema(description = "the configured default this rule is, null for the workflow's own rules",
                example = "error_rate_spike") String defaultKey,
        @Schema(example = "critical") AlertSeverity severity,
        @Schema(example = "0.1") double threshold,
        @Schema(example = "2") double factor,
        @Schema(example = "0.05") double minDelta,
        @Schema(example = "0.8") double clearRatio,
        @Schema(example = "cpu") String resource,
        @Schema(example = "month") String budgetPeriod,
        @Schema(example = "300") int windowSeconds,
        @Schema(example = "86400") int baselineSeconds,
        @Schema(example = "20") int minSamples,
        @Schema(example = "60") int forSeconds,
        @Schema(example = "120") int clearForSeconds,
        @Schema(example = "600") int cooldownSeconds,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "since when the condition holds, while it has not held for forSeconds")
        Instant pendingSince,
        @Schema(description = "since when an open alert's value is below its clear level") Instant clearSince,
        @Schema(description = "until when the rule raises nothing new (cooldown, suppression)") Instant quietUntil) {

    public RuleParameters parameters() {
        return new RuleParameters(type, enabled, severity, threshold, factor, minDelta, clearRatio, resource,
                budgetPeriod, windowSeconds, baselineSeconds, minSamples, forSeconds, clearForSeconds,
                cooldownSeconds);
    }

    public boolean isDefault() {
        return defaultKey != null;
    }

    /** The same rule evaluated with other parameters (a default follows the configuration). */
    AlertRule with(RuleParameters p) {
        return new AlertRule(id, workflowId, p.type(), p.enabled(), defaultKey, p.severity(), p.threshold(),
                p.factor(), p.minDelta(), p.clearRatio(), p.resource(), p.budgetPeriod(), p.windowSeconds(),
                p.baselineSeconds(), p.minSamples(), p.forSeconds(), p.clearForSeconds(), p.cooldownSeconds(),
                createdBy, createdAt, updatedAt, pendingSince, clearSince, quietUntil);
    }
}
