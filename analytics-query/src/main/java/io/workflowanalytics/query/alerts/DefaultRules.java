package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured default rules ({@code wa.alerts.defaults.<name>.*}), checked at start-up. A workflow is evaluated by
 * its own rules and by the enabled defaults of every type it has no own rule of; a default's row is named by its
 * configuration name ({@code defaultKey}).
 */
@io.quarkus.runtime.Startup // a misconfigured default fails the start-up, naming its key
@ApplicationScoped
public class DefaultRules {

    private final Map<String, RuleParameters> byName = new LinkedHashMap<>();

    @jakarta.inject.Inject
    public DefaultRules(AlertsConfig config) {
        config.defaults().forEach((name, d) -> {
            AlertType type = AlertType.valueOf(d.type().toUpperCase(java.util.Locale.ROOT));
            RuleParameters p = new RuleParameters(type, d.enabled(),
                    AlertSeverity.valueOf(d.severity().toUpperCase(java.util.Locale.ROOT)), d.threshold(),
                    d.factor(), d.minDelta(), d.clearRatio(), d.resource().orElse(null),
                    d.budgetPeriod().orElse(null), d.windowSeconds(), d.baselineSeconds(), d.minSamples(),
                    d.forSeconds(), d.clearForSeconds(), d.cooldownSeconds());
            List<Problem.FieldError> faults = p.faults();
            if (!RuleParameters.RULE_TYPES.contains(type) || !faults.isEmpty()) {
                throw new IllegalArgumentException("wa.alerts.defaults." + name + ": " + (faults.isEmpty()
                        ? "type " + d.type() + " cannot have rules" : faults.get(0).field() + " "
                        + faults.get(0).message()));
            }
            byName.put(name, p);
        });
    }

    /** Test and tool use: defaults given directly. */
    DefaultRules(Map<String, RuleParameters> defaults) {
        byName.putAll(defaults);
    }

    /** The enabled defaults, by name. */
    public Map<String, RuleParameters> enabled() {
        Map<String, RuleParameters> out = new LinkedHashMap<>();
        byName.forEach((name, p) -> {
            if (p.enabled()) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** The configuration of a default by name (null when no longer configured). */
    public RuleParameters named(String name) {
        return byName.get(name);
    }

    /** The rule as evaluated: a default with the configuration's parameters (while it is configured). */
    public AlertRule effective(AlertRule rule) {
        RuleParameters config = rule.isDefault() ? byName.get(rule.defaultKey()) : null;
        return config == null ? rule : rule.with(config);
    }

    /**
     * The values a new rule of {@code type} starts from: the type's default (of the same resource where given), else
     * neutral values with no threshold, which the request must then give.
     */
    public RuleParameters fallback(AlertType type, String resource) {
        RuleParameters any = null;
        for (RuleParameters p : byName.values()) {
            if (p.type() == type) {
                if (type != AlertType.RESOURCE_EXHAUSTION || resource == null || resource.equals(p.resource())) {
                    return p;
                }
                any = any == null ? p : any;
            }
        }
        if (any != null) {
            return new RuleParameters(type, true, any.severity(), Double.NaN, any.factor(), any.minDelta(),
                    any.clearRatio(), resource, any.budgetPeriod(), any.windowSeconds(), any.baselineSeconds(),
                    any.minSamples(), any.forSeconds(), any.clearForSeconds(), any.cooldownSeconds());
        }
        return new RuleParameters(type, true, AlertSeverity.WARNING, Double.NaN, 1, 0, 0.8, resource, null, 300,
                86400, 1, 0, 0, 0);
    }

    /**
     * Which rules evaluate a workflow: every enabled own rule, and the defaults whose type has no own rule (an own
     * rule, even a disabled one, replaces the defaults of its type). Materialised defaults no longer configured, or of
     * a type the workflow now has an own rule of, are returned as retired: their open alert resolves.
     */
    public Selection select(List<AlertRule> stored) {
        Set<AlertType> own = new java.util.HashSet<>();
        for (AlertRule r : stored) {
            if (!r.isDefault()) {
                own.add(r.type());
            }
        }
        List<AlertRule> active = new ArrayList<>();
        List<AlertRule> retired = new ArrayList<>();
        for (AlertRule r : stored) {
            if (!r.isDefault()) {
                (r.enabled() ? active : retired).add(r);
                continue;
            }
            RuleParameters config = byName.get(r.defaultKey());
            if (config == null || !config.enabled() || own.contains(r.type())) {
                retired.add(effective(r));
            } else {
                active.add(r.with(config));
            }
        }
        List<String> missing = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        stored.stream().filter(AlertRule::isDefault).forEach(r -> present.add(r.defaultKey()));
        enabled().forEach((name, p) -> {
            if (!own.contains(p.type()) && !present.contains(name)) {
                missing.add(name);
            }
        });
        return new Selection(active, retired, missing);
    }

    /** Rules to evaluate, rules whose open alert must resolve, defaults to materialise first. */
    public record Selection(List<AlertRule> active, List<AlertRule> retired, List<String> missingDefaults) {
    }
}
