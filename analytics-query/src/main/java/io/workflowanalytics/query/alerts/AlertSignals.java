package io.workflowanalytics.query.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.costs.BudgetRepository;
import io.workflowanalytics.query.costs.CostBudget;
import io.workflowanalytics.query.costs.CostPeriod;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the rules measure, anchored at wall-clock now (so backfilled history never raises an alert): windows of
 * recent executions from {@code execution_outcomes} (exact to the second), baselines, resources and spend from the
 * rollups (docs/views/alerts.md).
 */
@ApplicationScoped
public class AlertSignals {

    private static final String WINDOW = """
            SELECT count(*)::int8, count(*) FILTER (WHERE NOT succeeded)::int8,
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms)
            FROM execution_outcomes WHERE workflow_id = $1 AND finished_at >= $2""";
    private static final String LATEST = """
            SELECT succeeded, failed_node_id, error_type FROM execution_outcomes
            WHERE workflow_id = $1 AND finished_at >= $2 ORDER BY finished_at DESC LIMIT $3""";
    private static final String FAILURES = """
            SELECT failed_node_id, error_type, count(*) FROM execution_outcomes
            WHERE workflow_id = $1 AND finished_at >= $2 AND NOT succeeded
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20""";

    /** The measured value, how many samples it rests on, the learned baseline (null: none), and evidence. */
    public record Reading(Double value, long samples, Double baseline, Evidence evidence) {
    }

    private final Pool pool;
    private final RollupReader rollups;
    private final BudgetRepository budgets;

    public AlertSignals(Pool pool, RollupReader rollups, BudgetRepository budgets) {
        this.pool = pool;
        this.rollups = rollups;
        this.budgets = budgets;
    }

    public Uni<Reading> read(AlertRule rule, Instant now) {
        RuleParameters p = rule.parameters();
        Instant windowStart = now.minusSeconds(p.windowSeconds());
        return switch (p.type()) {
            case ERROR_RATE_SPIKE -> window(rule.workflowId(), windowStart).chain(w -> baseline(rule, now,
                    MetricType.ERROR_RATE, false).map(b -> new Reading(RuleConditions.rate(w.failures, w.executions),
                    w.executions, b == null ? null : b.mean(), w.evidence())));
            case PERFORMANCE_DEGRADATION -> window(rule.workflowId(), windowStart).chain(w -> baseline(rule, now,
                    MetricType.EXECUTION_TIME, true).map(b -> new Reading(w.p95, w.executions,
                    b == null ? null : b.quantile(0.95), w.evidence())));
            case SYSTEM_FAILURE -> consecutiveFailures(rule, windowStart);
            case RESOURCE_EXHAUSTION -> rollups.byGroup(rule.workflowId(), MetricType.RESOURCE_USAGE,
                    Groupings.RESOURCE, RangePlan.of(new TimeRange(windowStart, now)), false).map(groups -> {
                        Aggregate a = groups.getOrDefault(p.resource(), Aggregate.EMPTY);
                        return new Reading(a.count() == 0 ? null : a.mean(), a.count(), null, Evidence.NONE);
                    });
            case COST_THRESHOLD_EXCEEDED -> spend(rule, now);
            default -> Uni.createFrom().item(new Reading(null, 0, null, Evidence.NONE));
        };
    }

    /** Where the window's failures happened: up to 3 nodes and 3 error types, most frequent first. */
    public Uni<Evidence> failures(AlertRule rule, Instant now, Evidence evidence) {
        if (evidence.failures() == 0 && rule.type() != io.workflowanalytics.common.events.AlertType.SYSTEM_FAILURE) {
            return Uni.createFrom().item(evidence);
        }
        return pool.preparedQuery(FAILURES).execute(Tuple.of(rule.workflowId(),
                AlertRepository.utc(now.minusSeconds(rule.windowSeconds())))).map(rows -> {
                    Set<String> nodes = new LinkedHashSet<>();
                    Set<String> errors = new LinkedHashSet<>();
                    for (Row r : rows) {
                        if (r.getString(0) != null && nodes.size() < 3) {
                            nodes.add(r.getString(0));
                        }
                        if (r.getString(1) != null && errors.size() < 3) {
                            errors.add(r.getString(1));
                        }
                    }
                    return evidence.withFailures(List.copyOf(nodes), List.copyOf(errors));
                });
    }

    private record Window(long executions, long failures, Double p95) {
        Evidence evidence() {
            return new Evidence(executions, failures, List.of(), List.of(), null, null, null, null);
        }
    }

    private Uni<Window> window(UUID workflow, Instant from) {
        return pool.preparedQuery(WINDOW).execute(Tuple.of(workflow, AlertRepository.utc(from))).map(rows -> {
            Row r = rows.iterator().next();
            return new Window(r.getLong(0), r.getLong(1), r.getDouble(2));
        });
    }

    /**
     * The baseline span just before the window, in whole minutes ([start, end) both rounded down, so the baseline
     * never reads a minute the window reaches into); null when it holds fewer than minSamples values.
     */
    private Uni<Aggregate> baseline(AlertRule rule, Instant now, MetricType type, boolean sketch) {
        Instant end = now.minusSeconds(rule.windowSeconds()).truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minusSeconds(rule.baselineSeconds()).truncatedTo(ChronoUnit.MINUTES);
        return rollups.whole(rule.workflowId(), type, RangePlan.of(new TimeRange(start, end)), sketch)
                .map(a -> a.count() >= rule.minSamples() ? a : null);
    }

    /** The run of failures among the latest executions of the window, newest first. */
    private Uni<Reading> consecutiveFailures(AlertRule rule, Instant windowStart) {
        int limit = (int) Math.min(2000, 2 * Math.round(rule.threshold()));
        return pool.preparedQuery(LATEST).execute(Tuple.of(rule.workflowId(), AlertRepository.utc(windowStart),
                limit)).map(rows -> {
                    long run = 0;
                    boolean broken = false;
                    for (Row r : rows) {
                        if (r.getBoolean(0)) {
                            broken = true;
                        } else if (!broken) {
                            run++;
                        }
                    }
                    long n = rows.size();
                    return new Reading(n == 0 ? null : (double) run, n, null,
                            new Evidence(n, run, List.of(), List.of(), null, null, null, null));
                });
    }

    /** The highest fraction of a budget spent in its current period (the rule's period, or every budget). */
    private Uni<Reading> spend(AlertRule rule, Instant now) {
        return budgets.list(rule.workflowId()).chain(list -> {
            List<Uni<Reading>> readings = new ArrayList<>();
            for (CostBudget b : list) {
                if (rule.budgetPeriod() != null && !rule.budgetPeriod().equals(b.period())) {
                    continue;
                }
                CostPeriod period = CostPeriod.valueOf(b.period().toUpperCase(java.util.Locale.ROOT));
                Instant start = period.start(now);
                if (!start.isBefore(now)) {
                    continue;
                }
                readings.add(rollups.whole(rule.workflowId(), MetricType.COST,
                        RangePlan.of(new TimeRange(start, now)), false).map(a -> new Reading(a.total() / b.amount(),
                        1, null, new Evidence(a.count(), 0, List.of(), List.of(), b.period(), b.amount(), a.total(),
                        b.currency()))));
            }
            if (readings.isEmpty()) {
                return Uni.createFrom().item(new Reading(null, 0, null, Evidence.NONE));
            }
            return Uni.join().all(readings).andFailFast().map(all -> all.stream()
                    .max(java.util.Comparator.comparingDouble(Reading::value)).orElseThrow());
        });
    }
}
