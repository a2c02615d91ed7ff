package io.workflowanalytics.query.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.workflowanalytics.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Rules through the API. A workflow's listing materialises the defaults that apply to it (so that each has an id to
 * read and to customise). Creating an own rule of a type retires the defaults of that type, and disabling a rule
 * retires it: their open alerts resolve at the workflow's next evaluation, which the change triggers. Deleting a rule
 * resolves its open alert in the same transaction.
 */
@ApplicationScoped
public class AlertRuleService {

    private final Pool pool;
    private final AlertRuleRepository rules;
    private final AlertRepository alerts;
    private final DefaultRules defaults;
    private final AlertTransitions transitions;
    private final AlertEvaluator evaluator;
    private final Clock clock = Clock.systemUTC();

    public AlertRuleService(Pool pool, AlertRuleRepository rules, AlertRepository alerts, DefaultRules defaults,
                            AlertTransitions transitions, AlertEvaluator evaluator) {
        this.pool = pool;
        this.rules = rules;
        this.alerts = alerts;
        this.defaults = defaults;
        this.transitions = transitions;
        this.evaluator = evaluator;
    }

    /** Own rules, then the defaults that apply (with the configuration's parameters). */
    public Uni<List<AlertRule>> list(UUID workflow) {
        return rules.selection(workflow, defaults)
                .map(s -> {
                    List<AlertRule> out = new java.util.ArrayList<>(s.active());
                    s.retired().stream().filter(r -> !r.isDefault()).forEach(out::add);
                    out.sort(java.util.Comparator.comparing(AlertRule::isDefault).thenComparing(r -> r.type().wire())
                            .thenComparing(AlertRule::createdAt));
                    return out;
                });
    }

    public Uni<AlertRule> get(UUID workflow, UUID id) {
        return rules.find(workflow, id).map(r -> {
            if (r == null) {
                throw ProblemException.notFound("Alert rule " + id + " of this workflow");
            }
            return defaults.effective(r);
        });
    }

    public Uni<AlertRule> create(UUID workflow, AlertRuleRequest body, String by) {
        RuleParameters p = parameters(body);
        return pool.withTransaction(tx -> rules.insert(tx, workflow, p, by))
                .invoke(() -> evaluator.touched(List.of(workflow)));
    }

    /** Replaces a rule's parameters (its type stays); a default rule becomes the workflow's own. */
    public Uni<AlertRule> update(UUID workflow, UUID id, AlertRuleRequest body) {
        RuleParameters p = parameters(body);
        return pool.withTransaction(tx -> rules.find(tx, workflow, id, true).chain(r -> {
            if (r == null) {
                throw ProblemException.notFound("Alert rule " + id + " of this workflow");
            }
            if (r.type() != p.type()) {
                throw ProblemException.invalid("type", "cannot change (the rule is " + r.type().wire()
                        + "); create a new rule instead");
            }
            return rules.update(tx, id, p);
        })).invoke(() -> evaluator.touched(List.of(workflow)));
    }

    /** Deletes an own rule, resolving its open alert (reason rule_deleted). Defaults are turned off by a PUT. */
    public Uni<Void> delete(UUID workflow, UUID id, String by) {
        return pool.withTransaction(tx -> rules.find(tx, workflow, id, true).chain(r -> {
            if (r == null) {
                throw ProblemException.notFound("Alert rule " + id + " of this workflow");
            }
            if (r.isDefault()) {
                throw AlertTransitions.conflict("Rule " + id + " is the default " + r.defaultKey()
                        + " (wa.alerts.defaults); PUT it with enabled=false to turn it off for this workflow");
            }
            return alerts.openForRule(tx, id)
                    .chain(open -> transitions.resolveOpen(tx, id, open, by, "rule_deleted", clock.instant(),
                            r.parameters()))
                    .call(() -> rules.delete(tx, id));
        })).call(events -> transitions.committed(workflow, events)).replaceWithVoid();
    }

    private RuleParameters parameters(AlertRuleRequest body) {
        if (body == null) {
            throw ProblemException.invalid("body", "is required: {\"type\": \"error_rate_spike\", …}");
        }
        var type = body.validatedType();
        return body.parameters(type, resource -> defaults.fallback(type, resource));
    }
}
