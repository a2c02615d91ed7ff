package io.workflowanalytics.query.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.workflowanalytics.common.events.AlertEventType;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.query.cache.ViewCache;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every change of an alert's status, each in one transaction that locks the rule row first and the alert row second
 * (one order for the evaluator and the API, so they never deadlock), re-checks what it finds there, and writes the
 * alert and its AlertEvent to the outbox together. After the commit the outbox is drained and the workflow's cached
 * views (its dashboard lists open alerts) are dropped.
 */
@ApplicationScoped
public class AlertTransitions {

    static final String SYSTEM = "system";

    private final Pool pool;
    private final AlertRuleRepository rules;
    private final AlertRepository alerts;
    private final AlertPublisher publisher;
    private final ViewCache cache;
    private final MeterRegistry registry;
    private final DefaultRules defaults;

    public AlertTransitions(Pool pool, AlertRuleRepository rules, AlertRepository alerts, AlertPublisher publisher,
                            ViewCache cache, MeterRegistry registry, DefaultRules defaults) {
        this.pool = pool;
        this.defaults = defaults;
        this.rules = rules;
        this.alerts = alerts;
        this.publisher = publisher;
        this.cache = cache;
        this.registry = registry;
    }

    /** The evaluator's step: decides again on the locked rule and its open alert, and applies the decision. */
    Uni<Integer> apply(AlertRule snapshot, AlertSignals.Reading reading, Evidence evidence, Instant now) {
        UUID workflow = snapshot.workflowId();
        return pool.withTransaction(tx -> rules.find(tx, workflow, snapshot.id(), true).chain(locked -> {
            if (locked == null || !locked.enabled() || locked.isDefault() != snapshot.isDefault()) {
                return Uni.createFrom().item(List.<AlertEventType>of());
            }
            AlertRule rule = defaults.effective(locked);
            RuleParameters p = rule.parameters();
            return alerts.openForRule(tx, rule.id()).chain(open -> {
                Measurement m = RuleConditions.classify(p, reading.value(), reading.samples(),
                    RuleConditions.baselineFor(open, reading.baseline()));
                AlertStateMachine.State before = new AlertStateMachine.State(rule.pendingSince(),
                        rule.clearSince(), rule.quietUntil());
                AlertStateMachine.Decision d = AlertStateMachine.decide(p, before,
                        open == null ? null : open.asOpen(), m.level(), now);
                if (!d.changes(before)) {
                    return Uni.createFrom().item(List.<AlertEventType>of());
                }
                Uni<Void> state = d.state().equals(before) ? Uni.createFrom().voidItem()
                        : rules.state(tx, rule.id(), d.state());
                return state.chain(() -> switch (d.action()) {
                    case NONE -> Uni.createFrom().item(List.<AlertEventType>of());
                    case FIRE -> alerts.fire(tx, rule, m, AlertContent.of(p, m, evidence), now)
                            .replaceWith(List.of(AlertEventType.ALERT_TRIGGERED));
                    case RESOLVE -> alerts.transition(tx, open.resolved(SYSTEM, "condition_cleared", now),
                            AlertEventType.ALERT_RESOLVED, now).replaceWith(List.of(AlertEventType.ALERT_RESOLVED));
                    case REACTIVATE -> alerts.transition(tx, open.reactivated(), AlertEventType.ALERT_TRIGGERED, now)
                            .replaceWith(List.of(AlertEventType.ALERT_TRIGGERED));
                });
            });
        })).call(events -> committed(workflow, events)).map(List::size);
    }

    /** Resolves the open alert of a rule that no longer evaluates (disabled, replaced by an own rule, unconfigured). */
    Uni<Integer> retire(AlertRule rule, String reason, Instant now) {
        return pool.withTransaction(tx -> rules.find(tx, rule.workflowId(), rule.id(), true)
                        .chain(locked -> alerts.openForRule(tx, rule.id()))
                        .chain(open -> resolveOpen(tx, rule.id(), open, SYSTEM, reason, now, rule.parameters())))
                .call(events -> committed(rule.workflowId(), events)).map(List::size);
    }

    /** Resolves a rule's open alert inside a rule operation's transaction (delete); the caller calls committed. */
    Uni<List<AlertEventType>> resolveOpen(SqlClient tx, UUID ruleId, StoredAlert open, String by, String reason,
                                          Instant now, RuleParameters p) {
        if (open == null) {
            return Uni.createFrom().item(List.of());
        }
        return alerts.transition(tx, open.resolved(by, reason, now), AlertEventType.ALERT_RESOLVED, now)
                .call(() -> rules.state(tx, ruleId, new AlertStateMachine.State(null, null,
                        AlertStateMachine.quietAfterResolve(p, open.asOpen(), now))))
                .replaceWith(List.of(AlertEventType.ALERT_RESOLVED));
    }

    /** An operator's transition of an alert of {@code workflow}: 404 for another workflow's, 409 when not allowed. */
    public Uni<StoredAlert> operate(UUID workflow, UUID alertId, Operation op, String by, Instant until,
                                    Instant now) {
        return alerts.find(workflow, alertId).chain(seen -> {
            if (seen == null) {
                throw ProblemException.notFound("Alert " + alertId + " of this workflow");
            }
            return pool.withTransaction(tx -> rules.find(tx, workflow, seen.ruleId(), true)
                    .chain(rule -> alerts.find(tx, workflow, alertId, true).chain(a -> {
                        if (a == null) {
                            throw ProblemException.notFound("Alert " + alertId + " of this workflow");
                        }
                        if (a.status() == AlertStatus.RESOLVED) {
                            throw conflict("Alert " + alertId + " is resolved");
                        }
                        return switch (op) {
                            case ACKNOWLEDGE -> {
                                if (a.status() == AlertStatus.ACKNOWLEDGED) {
                                    yield Uni.createFrom().item(new Outcome(a, List.of()));
                                }
                                if (a.status() == AlertStatus.SUPPRESSED) {
                                    throw conflict("Alert " + alertId + " is suppressed until " + a.suppressedUntil());
                                }
                                yield alerts.transition(tx, a.acknowledged(by, now), AlertEventType.ALERT_ACKNOWLEDGED,
                                        now).map(x -> new Outcome(x, List.of(AlertEventType.ALERT_ACKNOWLEDGED)));
                            }
                            case SUPPRESS -> alerts.transition(tx, a.suppressed(until, by),
                                            AlertEventType.ALERT_SUPPRESSED, now)
                                    .map(x -> new Outcome(x, List.of(AlertEventType.ALERT_SUPPRESSED)));
                            case RESOLVE -> alerts.transition(tx, a.resolved(by, "manual", now),
                                            AlertEventType.ALERT_RESOLVED, now)
                                    .call(x -> rule == null ? Uni.createFrom().voidItem()
                                            : rules.state(tx, rule.id(), new AlertStateMachine.State(null, null,
                                            AlertStateMachine.quietAfterResolve(defaults.effective(rule).parameters(),
                                                    a.asOpen(), now))))
                                    .map(x -> new Outcome(x, List.of(AlertEventType.ALERT_RESOLVED)));
                        };
                    })));
        }).call(o -> committed(workflow, o.events())).map(Outcome::alert);
    }

    /** What an operator may do to an alert. */
    public enum Operation { ACKNOWLEDGE, SUPPRESS, RESOLVE }

    private record Outcome(StoredAlert alert, List<AlertEventType> events) {
    }

    /** After a transition committed: publish it now, drop the workflow's cached views, count it. */
    Uni<Void> committed(UUID workflow, List<AlertEventType> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        events.forEach(e -> registry.counter("wa.alerts.transitions", "type", e.wire()).increment());
        publisher.drainSoon();
        return cache.invalidate(List.of(workflow));
    }

    static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null);
    }
}
