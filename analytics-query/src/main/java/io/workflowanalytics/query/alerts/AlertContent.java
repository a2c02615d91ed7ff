package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An alert's title, description, affected components, recommendations and estimated impact, from its data. */
public record AlertContent(String title, String description, List<String> affectedComponents,
                           List<String> recommendations, String estimatedImpact) {

    public static AlertContent of(RuleParameters rule, Measurement m, Evidence e) {
        double v = m.value() == null ? 0 : m.value();
        String window = seconds(rule.windowSeconds());
        List<String> components = e.failingNodes().isEmpty() ? List.of("workflow") : e.failingNodes();
        List<String> recommendations = new ArrayList<>();
        return switch (rule.type()) {
            case ERROR_RATE_SPIKE -> {
                if (!e.failingNodes().isEmpty()) {
                    recommendations.add("Inspect node " + String.join(", ", e.failingNodes())
                            + (e.errorTypes().isEmpty() ? "" : ": most failures are " + String.join(", ", e.errorTypes())));
                }
                recommendations.add("Check deployments, configuration and external services changed since the "
                        + "spike began");
                recommendations.add("Review the error analysis of the last hour (GET …/analytics/errors?timeRange=1h)");
                yield new AlertContent(
                        String.format(Locale.ROOT, "Error rate spike: %s of executions failing", pct(v)),
                        String.format(Locale.ROOT, "%s of the %d executions in the last %s failed, against a %s "
                                + "baseline over the %s before (fire level %s)", pct(v), m.samples(), window,
                                pct(m.baseline() == null ? 0 : m.baseline()), seconds(rule.baselineSeconds()),
                                pct(m.fireLevel())),
                        components, recommendations,
                        String.format(Locale.ROOT, "%s of executions failing vs %s baseline; ~%d failed "
                                        + "executions/hour at the current rate", pct(v),
                                pct(m.baseline() == null ? 0 : m.baseline()),
                                Math.round(e.failures() * 3600.0 / rule.windowSeconds())));
            }
            case PERFORMANCE_DEGRADATION -> {
                recommendations.add("Compare the per-node breakdown of the last hour with the day before "
                        + "(GET …/analytics/performance?timeRange=1h)");
                recommendations.add("Check the latency of external services and databases the workflow calls");
                recommendations.add("Look for a new version or a traffic change since the slowdown began");
                String base = m.baseline() == null ? "no learned baseline" : ms(m.baseline()) + " baseline";
                yield new AlertContent(
                        String.format(Locale.ROOT, "Performance degradation: p95 execution time %s", ms(v)),
                        String.format(Locale.ROOT, "p95 execution time over the last %s is %s (%d executions) "
                                + "against %s over the %s before (fire level %s)", window, ms(v), m.samples(), base,
                                seconds(rule.baselineSeconds()), ms(m.fireLevel())),
                        List.of("workflow"), recommendations,
                        m.baseline() == null ? String.format(Locale.ROOT, "the slowest 5 %% of executions take over %s",
                                ms(v))
                                : String.format(Locale.ROOT, "the slowest 5 %% of executions take %s longer "
                                        + "(×%.1f); ~%d executions/hour affected", ms(v - m.baseline()),
                                v / Math.max(m.baseline(), 1e-9),
                                Math.round(m.samples() * 3600.0 / rule.windowSeconds())));
            }
            case SYSTEM_FAILURE -> {
                recommendations.add("Check that the services and credentials the workflow depends on are reachable");
                if (!e.failingNodes().isEmpty()) {
                    recommendations.add("Start with node " + String.join(", ", e.failingNodes()));
                }
                recommendations.add("Pause the workflow's triggers if its failures have side effects");
                yield new AlertContent(
                        String.format(Locale.ROOT, "System failure: %d consecutive executions failed", (long) v),
                        String.format(Locale.ROOT, "The last %d executions within %s all failed (threshold %d)%s",
                                (long) v, window, (long) rule.threshold(), e.errorTypes().isEmpty() ? ""
                                        : "; errors: " + String.join(", ", e.errorTypes())),
                        components, recommendations,
                        "the workflow completes no executions: every run since the last success failed");
            }
            case RESOURCE_EXHAUSTION -> {
                boolean cpu = "cpu".equals(rule.resource());
                String value = cpu ? String.format(Locale.ROOT, "%.1f %%", v) : String.format(Locale.ROOT, "%.0f MB", v);
                String limit = cpu ? String.format(Locale.ROOT, "%.1f %%", m.fireLevel())
                        : String.format(Locale.ROOT, "%.0f MB", m.fireLevel());
                recommendations.add("Give the workers more " + (cpu ? "CPU" : "memory") + " or spread executions "
                        + "over more workers");
                recommendations.add("Find the nodes that use the most " + rule.resource()
                        + " (GET …/analytics/performance)");
                yield new AlertContent(
                        String.format(Locale.ROOT, "Resource exhaustion: %s at %s", rule.resource(), value),
                        String.format(Locale.ROOT, "Average %s over the last %s is %s across %d samples (threshold %s)",
                                rule.resource(), window, value, m.samples(), limit),
                        List.of("resource:" + rule.resource()), recommendations,
                        "executions slow down or fail once " + rule.resource() + " is exhausted");
            }
            case COST_THRESHOLD_EXCEEDED -> {
                recommendations.add("Review the cost breakdown and optimisations (GET …/analytics/costs)");
                recommendations.add("Raise the " + e.budgetPeriod() + " budget if the spend is expected");
                String cur = e.currency() == null ? "" : " " + e.currency();
                yield new AlertContent(
                        String.format(Locale.ROOT, "Cost threshold exceeded: %s of the %s budget", pct(v),
                                e.budgetPeriod()),
                        String.format(Locale.ROOT, "%.2f%s spent this %s of a %.2f%s budget (threshold %s)",
                                nz(e.spend()), cur, e.budgetPeriod(), nz(e.budget()), cur, pct(m.fireLevel())),
                        List.of("budget:" + e.budgetPeriod()), recommendations,
                        String.format(Locale.ROOT, "%.2f%s over the threshold's %.2f%s", nz(e.spend())
                                - nz(e.budget()) * m.fireLevel(), cur, nz(e.budget()) * m.fireLevel(), cur));
            }
            default -> throw new IllegalArgumentException("no content for " + rule.type());
        };
    }

    /** The rule's severity, one level higher when the value is at least twice the fire level. */
    public static AlertSeverity severity(RuleParameters rule, Measurement m) {
        AlertSeverity s = rule.severity();
        if (RuleConditions.escalates(m) && s.ordinal() < AlertSeverity.EMERGENCY.ordinal()) {
            return AlertSeverity.values()[s.ordinal() + 1];
        }
        return s;
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }

    static String pct(double rate) {
        return String.format(Locale.ROOT, "%.1f %%", rate * 100);
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, "%.0f ms", ms);
    }

    static String seconds(int s) {
        if (s % 86400 == 0) {
            return s / 86400 + (s == 86400 ? " day" : " days");
        }
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
