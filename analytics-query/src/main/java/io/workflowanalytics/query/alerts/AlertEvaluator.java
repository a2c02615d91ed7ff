package io.workflowanalytics.query.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a workflow's rules (docs/views/alerts.md) when the replica that rolled up one of its batches marks it
 * touched, and on the sweep for workflows with an open alert or a minimum duration running (so that alerts resolve
 * when data stops). Evaluation never holds up the Kafka consumer: {@link #touched} only records the workflow, and the
 * dispatcher evaluates each at most once per {@code wa.alerts.min-interval}.
 * <p>
 * Once across replicas: a rule changes state only in a transaction that locks its row and decides again on what it
 * finds there, so two replicas evaluating the same rule cannot both fire; the unique index on open alerts per rule is
 * the last guard.
 */
@ApplicationScoped
public class AlertEvaluator {

    private static final Logger LOG = Logger.getLogger(AlertEvaluator.class);
    private static final String SWEEP_CLAIM = "UPDATE alert_sweep SET swept_at = now() "
            + "WHERE id = 1 AND swept_at < now() - $1 * interval '1 millisecond' RETURNING swept_at";
    private static final String SWEEP_WORKFLOWS = "SELECT workflow_id FROM alert_rules "
            + "WHERE pending_since IS NOT NULL OR clear_since IS NOT NULL "
            + "UNION SELECT workflow_id FROM alerts WHERE status IN " + AlertRepository.OPEN;

    private final Pool pool;
    private final AlertsConfig config;
    private final DefaultRules defaults;
    private final AlertRuleRepository rules;
    private final AlertRepository alerts;
    private final AlertSignals signals;
    private final AlertTransitions transitions;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Duration sweepEvery;

    private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Long> lastRun = new ConcurrentHashMap<>();

    public AlertEvaluator(Pool pool, AlertsConfig config, DefaultRules defaults, AlertRuleRepository rules,
                          AlertRepository alerts, AlertSignals signals, AlertTransitions transitions,
                          MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.defaults = defaults;
        this.rules = rules;
        this.alerts = alerts;
        this.signals = signals;
        this.transitions = transitions;
        this.registry = registry;
        this.sweepEvery = Duration.parse("PT" + config.evaluateEvery().toUpperCase(java.util.Locale.ROOT));
    }

    /** Called after a committed rollup or outcomes batch: returns at once, evaluation follows asynchronously. */
    public void touched(Collection<UUID> workflows) {
        if (config.enabled()) {
            dirty.addAll(workflows);
        }
    }

    @Scheduled(every = "${wa.alerts.dispatch-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> dispatch() {
        if (dirty.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long now = System.nanoTime();
        long min = config.minInterval().toNanos();
        List<UUID> due = new ArrayList<>();
        for (Iterator<UUID> it = dirty.iterator(); it.hasNext(); ) {
            UUID wf = it.next();
            Long last = lastRun.get(wf);
            if (last == null || now - last >= min) {
                it.remove();
                lastRun.put(wf, now);
                due.add(wf);
            }
        }
        lastRun.values().removeIf(t -> now - t > Math.max(min, 1) * 10);
        return Multi.createFrom().iterable(due)
                .onItem().transformToUni(wf -> evaluate(wf)
                        .onFailure().invoke(e -> {
                            LOG.warnf("alert evaluation of %s failed, retried: %s", wf, e.toString());
                            dirty.add(wf);
                        })
                        .onFailure().recoverWithItem(0))
                .merge(Math.max(1, config.concurrency()))
                .collect().last().replaceWithVoid();
    }

    /**
     * Marks the workflows with an open alert or a minimum duration running. One replica per interval does it: the
     * claim on alert_sweep succeeds for the first replica after the interval passed.
     */
    @Scheduled(every = "${wa.alerts.evaluate-every:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        long claimMs = Math.max(1, sweepEvery.toMillis() * 8 / 10);
        return pool.preparedQuery(SWEEP_CLAIM).execute(Tuple.of(claimMs)).chain(claimed -> {
                    if (claimed.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    return pool.preparedQuery(SWEEP_WORKFLOWS).execute().invoke(rows -> {
                        for (Row r : rows) {
                            dirty.add(r.getUUID(0));
                        }
                    }).replaceWithVoid();
                })
                .onFailure().invoke(e -> LOG.warnf("alert sweep failed, retried next tick: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Evaluates every rule of the workflow now; returns the number of transitions. */
    public Uni<Integer> evaluate(UUID workflow) {
        long started = System.nanoTime();
        return evaluateRules(workflow).invoke(n -> registry.timer("wa.alerts.evaluation.duration")
                .record(Duration.ofNanos(System.nanoTime() - started)));
    }

    private Uni<Integer> evaluateRules(UUID workflow) {
        return rules.selection(workflow, defaults)
                .chain(selection -> alerts.openByRule(workflow).chain(open -> {
                    Instant now = clock.instant();
                    List<Uni<Integer>> steps = new ArrayList<>();
                    for (AlertRule r : selection.retired()) {
                        StoredAlert a = open.get(r.id());
                        if (a != null) {
                            String reason = r.isDefault() ? "rule_replaced" : "rule_disabled";
                            steps.add(transitions.retire(r, reason, now));
                        }
                    }
                    for (AlertRule r : selection.active()) {
                        steps.add(evaluateRule(r, open.get(r.id()), now));
                    }
                    registry.counter("wa.alerts.evaluations").increment(selection.active().size());
                    // One rule at a time: evaluation must not crowd out the rollups on the pool.
                    return Multi.createFrom().iterable(steps).onItem().transformToUniAndConcatenate(u -> u)
                            .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
                }));
    }

    private Uni<Integer> evaluateRule(AlertRule rule, StoredAlert open, Instant now) {
        RuleParameters p = rule.parameters();
        return signals.read(rule, now).chain(reading -> {
            Measurement m = RuleConditions.classify(p, reading.value(), reading.samples(),
                    RuleConditions.baselineFor(open, reading.baseline()));
            AlertStateMachine.State before = new AlertStateMachine.State(rule.pendingSince(), rule.clearSince(),
                    rule.quietUntil());
            AlertStateMachine.Decision d = AlertStateMachine.decide(p, before, open == null ? null : open.asOpen(),
                    m.level(), now);
            if (!d.changes(before)) {
                return Uni.createFrom().item(0);
            }
            Uni<Evidence> evidence = d.action() == AlertStateMachine.Action.FIRE
                    ? signals.failures(rule, now, reading.evidence()) : Uni.createFrom().item(reading.evidence());
            return evidence.chain(e -> transitions.apply(rule, reading, e, now));
        });
    }
}
