package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.problem.Problem;
import io.workflowanalytics.common.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Body of POST and PUT …/alert-rules: every field but {@code type} is optional and an omitted one takes the value of
 * the type's default rule (for resource_exhaustion, of the resource's default). Enum fields are strings here so that
 * a wrong one is a 400 naming the field with the allowed values.
 */
@Schema(name = "AlertRuleRequest")
public record AlertRuleRequest(
        @Schema(example = "error_rate_spike", description = "error_rate_spike, performance_degradation, "
                + "resource_exhaustion, system_failure, cost_threshold_exceeded") String type,
        @Schema(example = "true") Boolean enabled,
        @Schema(example = "critical", description = "info, warning, critical, emergency") String severity,
        @Schema(example = "0.1") Double threshold,
        @Schema(example = "2") Double factor,
        @Schema(example = "0.05") Double minDelta,
        @Schema(example = "0.8") Double clearRatio,
        @Schema(example = "cpu") String resource,
        @Schema(example = "month") String budgetPeriod,
        @Schema(example = "300") Integer windowSeconds,
        @Schema(example = "86400") Integer baselineSeconds,
        @Schema(example = "20") Integer minSamples,
        @Schema(example = "60") Integer forSeconds,
        @Schema(example = "120") Integer clearForSeconds,
        @Schema(example = "600") Integer cooldownSeconds) {

    /** The rule's type; a 400 naming {@code type} when absent or not one a rule can have. */
    AlertType validatedType() {
        if (type == null || type.isBlank()) {
            throw ProblemException.invalid("type", "is required");
        }
        for (AlertType t : RuleParameters.RULE_TYPES) {
            if (t.wire().equals(type.trim())) {
                return t;
            }
        }
        throw ProblemException.invalid("type", "must be one of " + String.join(", ",
                RuleParameters.RULE_TYPES.stream().map(AlertType::wire).toList()));
    }

    /**
     * The parameters asked for, the omitted ones from {@code defaults} (the type's default rule, given the resource
     * asked for); every fault is a 400 with one error per field.
     */
    RuleParameters parameters(AlertType validType, Function<String, RuleParameters> defaults) {
        String res = resource == null ? null : resource.trim().toLowerCase(Locale.ROOT);
        RuleParameters d = defaults.apply(res);
        AlertSeverity sev = d.severity();
        if (severity != null) {
            sev = null;
            for (AlertSeverity s : AlertSeverity.values()) {
                if (s.wire().equals(severity.trim())) {
                    sev = s;
                }
            }
            if (sev == null) {
                throw ProblemException.invalid("severity", "must be one of info, warning, critical, emergency");
            }
        }
        RuleParameters p = new RuleParameters(validType, enabled == null || enabled, sev,
                or(threshold, d.threshold()), or(factor, d.factor()), or(minDelta, d.minDelta()),
                or(clearRatio, d.clearRatio()), validType == AlertType.RESOURCE_EXHAUSTION && res == null
                ? d.resource() : res, budgetPeriod == null ? d.budgetPeriod() : budgetPeriod.trim(),
                or(windowSeconds, d.windowSeconds()), or(baselineSeconds, d.baselineSeconds()),
                or(minSamples, d.minSamples()), or(forSeconds, d.forSeconds()),
                or(clearForSeconds, d.clearForSeconds()), or(cooldownSeconds, d.cooldownSeconds()));
        List<Problem.FieldError> faults = p.faults();
        if (!faults.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid request",
                    faults.get(0).field() + ": " + faults.get(0).message(), faults);
        }
        return p;
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
