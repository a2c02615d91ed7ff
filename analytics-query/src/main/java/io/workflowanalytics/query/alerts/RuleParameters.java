package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.problem.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * What a rule is configured with (docs/views/alerts.md gives each type's condition). Levels: the fire level is
 * {@code max(baseline × factor, baseline + minDelta, threshold)} for the baseline types and {@code threshold} for the
 * others; the clear level is {@code baseline + (fire level − baseline) × clearRatio}. Durations are in seconds.
 *
 * @param threshold       error_rate_spike: the rate floor (0..1); performance_degradation: the p95 floor in ms
 *                        (0: baseline only); resource_exhaustion: cpu % or memory MB; system_failure: consecutive
 *                        failures; cost_threshold_exceeded: the fraction of the budget spent (1 = 100 %)
 * @param resource        resource_exhaustion only: {@code cpu} or {@code memory}
 * @param budgetPeriod    cost_threshold_exceeded only: {@code day}, {@code week}, {@code month}, or null for every
 *                        budget the workflow has
 * @param baselineSeconds the learned baseline's span, just before the window (baseline types)
 * @param minSamples      executions (or resource samples) the window needs before the rule can fire
 * @param forSeconds      how long the condition must hold before the alert fires
 * @param clearForSeconds how long the value must stay below the clear level before the alert resolves
 * @param cooldownSeconds after a resolve, how long the rule raises nothing new
 */
public record RuleParameters(AlertType type, boolean enabled, AlertSeverity severity, double threshold, double factor,
                             double minDelta, double clearRatio, String resource, String budgetPeriod,
                             int windowSeconds, int baselineSeconds, int minSamples, int forSeconds,
                             int clearForSeconds, int cooldownSeconds) {

    /** Types a rule can have: anomaly_detection is predictions-service's. */
    public static final List<AlertType> RULE_TYPES = List.of(AlertType.ERROR_RATE_SPIKE,
            AlertType.PERFORMANCE_DEGRADATION, AlertType.RESOURCE_EXHAUSTION, AlertType.SYSTEM_FAILURE,
            AlertType.COST_THRESHOLD_EXCEEDED);
    public static final List<String> RESOURCES = List.of("cpu", "memory");
    public static final List<String> BUDGET_PERIODS = List.of("day", "week", "month");
    static final int MAX_SECONDS = 30 * 86400;

    /** Whether the fire level learns from a baseline before the window. */
    public boolean learnsBaseline() {
        return type == AlertType.ERROR_RATE_SPIKE || type == AlertType.PERFORMANCE_DEGRADATION;
    }

    /** The faults of these parameters, one per field (empty when valid). */
    public List<Problem.FieldError> faults() {
        List<Problem.FieldError> out = new ArrayList<>();
        if (type == AlertType.RESOURCE_EXHAUSTION) {
            if (resource == null || !RESOURCES.contains(resource)) {
                out.add(Problem.FieldError.of("resource", "must be one of cpu, memory"));
            }
        } else if (resource != null) {
            out.add(Problem.FieldError.of("resource", "applies only to resource_exhaustion rules"));
        }
        if (Double.isNaN(threshold)) {
            out.add(Problem.FieldError.of("threshold", "is required (no default rule of this type and resource)"));
        } else if (!Double.isFinite(threshold)) {
            out.add(Problem.FieldError.of("threshold", "must be a finite number"));
        } else {
            String fault = switch (type) {
                case ERROR_RATE_SPIKE -> threshold > 0 && threshold <= 1 ? null
                        : "must be a rate greater than 0 and at most 1";
                case PERFORMANCE_DEGRADATION -> threshold >= 0 && threshold <= 86_400_000 ? null
                        : "must be a duration in ms from 0 (baseline only) to 86400000";
                case RESOURCE_EXHAUSTION -> "cpu".equals(resource) && !(threshold > 0 && threshold <= 100)
                        ? "must be a cpu percentage greater than 0 and at most 100"
                        : threshold > 0 && threshold <= 10_000_000 ? null : "must be greater than 0";
                case SYSTEM_FAILURE -> threshold >= 1 && threshold <= 1000 && threshold == Math.rint(threshold) ? null
                        : "must be a whole number of consecutive failures from 1 to 1000";
                case COST_THRESHOLD_EXCEEDED -> threshold > 0 && threshold <= 100 ? null
                        : "must be the fraction of the budget spent, greater than 0 and at most 100 (1 = 100 %)";
                default -> "unsupported type";
            };
            if (fault != null) {
                out.add(Problem.FieldError.of("threshold", fault));
            }
        }
        if (!(factor >= 1 && factor <= 1000)) {
            out.add(Problem.FieldError.of("factor", "must be from 1 to 1000"));
        }
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            out.add(Problem.FieldError.of("minDelta", "must be 0 or more"));
        }
        if (!(clearRatio > 0 && clearRatio <= 1)) {
            out.add(Problem.FieldError.of("clearRatio", "must be greater than 0 and at most 1"));
        }
        if (budgetPeriod != null && (type != AlertType.COST_THRESHOLD_EXCEEDED
                || !BUDGET_PERIODS.contains(budgetPeriod))) {
            out.add(Problem.FieldError.of("budgetPeriod", type != AlertType.COST_THRESHOLD_EXCEEDED
                    ? "applies only to cost_threshold_exceeded rules" : "must be one of day, week, month"));
        }
        seconds(out, "windowSeconds", windowSeconds, 10, 86_400);
        seconds(out, "baselineSeconds", baselineSeconds, 60, MAX_SECONDS);
        if (learnsBaseline() && baselineSeconds < windowSeconds) {
            out.add(Problem.FieldError.of("baselineSeconds", "must be at least windowSeconds"));
        }
        seconds(out, "minSamples", minSamples, 1, 1_000_000);
        seconds(out, "forSeconds", forSeconds, 0, 86_400);
        seconds(out, "clearForSeconds", clearForSeconds, 0, 86_400);
        seconds(out, "cooldownSeconds", cooldownSeconds, 0, MAX_SECONDS);
        return out;
    }

    private static void seconds(List<Problem.FieldError> out, String field, int value, int min, int max) {
        if (value < min || value > max) {
            out.add(Problem.FieldError.of(field, "must be from " + min + " to " + max));
        }
    }
}
