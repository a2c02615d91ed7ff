package io.workflowanalytics.query.costs;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.CostCategory;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.costs.CostAnalysis.BudgetStatus;
import io.workflowanalytics.query.costs.CostAnalysis.CostBreakdown;
import io.workflowanalytics.query.costs.CostAnalysis.CostComponent;
import io.workflowanalytics.query.costs.CostAnalysis.CostForecast;
import io.workflowanalytics.query.costs.CostAnalysis.CostSummary;
import io.workflowanalytics.query.costs.CostAnalysis.CostTrend;
import io.workflowanalytics.query.costs.CostOptimizer.MonthlySpend;
import io.workflowanalytics.query.costs.CostOptimizer.Proposal;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Granularity;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import io.workflowanalytics.query.rollup.RollupReader.Point;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cost analysis from the rollups of {@code cost} metrics (one per execution and cost component, in the platform
 * currency): totals, breakdown by component, trend, optimisation proposals, budget status and forecast.
 * Definitions and thresholds in docs/views/costs.md.
 */
@ApplicationScoped
public class CostService {

    static final String CURRENCY = "USD";
    /** Savings and spend for recommendations are scaled to this length of time. */
    static final Duration MONTH = Duration.ofDays(30);
    /** A component's trend is increasing or decreasing when its rate moves by more than this between halves. */
    static final double TREND_THRESHOLD = 0.10;
    /** A budget is at risk once the projected spend reaches this share of it. */
    static final double AT_RISK_SHARE = 0.90;
    static final String UNATTRIBUTED = "unattributed";

    private final RollupReader rollups;
    private final BudgetRepository budgets;
    private final Clock clock;

    public CostService(RollupReader rollups, BudgetRepository budgets) {
        this.rollups = rollups;
        this.budgets = budgets;
        this.clock = Clock.systemUTC();
    }

    public Uni<CostAnalysis> analyse(UUID workflow, TimeRange range, CostPeriod granularity,
                                     boolean withOptimizations) {
        RangePlan plan = RangePlan.of(range);
        Instant now = clock.instant();
        // Each statement read once for every section that needs it: the cost totals (summary, breakdown and its
        // trends), and the daily cost and executions (forecast; trends, summed into weeks or months where asked;
        // the executions' sum is the summary's count). Each section reading its own had made 12 statements.
        Uni<Map<MetricType, List<Point>>> daily = rollups.series(workflow,
                List.of(MetricType.COST, MetricType.EXECUTION_COUNT), Groupings.WHOLE, "", plan.range(),
                Granularity.DAY, false);
        return Uni.combine().all().unis(totals(workflow, plan), daily, cpuAverage(workflow, plan),
                        budgetStatus(workflow, now))
                .with((totals, series, cpu, budgetStatus) -> {
                    List<Point> days = series.get(MetricType.COST);
                    List<Point> counts = RollupReader.regroup(series.get(MetricType.EXECUTION_COUNT),
                            granularity.granularity);
                    CostBreakdown breakdown = breakdown(totals);
                    CostAnalysis.CostOptimization optimization = null;
                    if (withOptimizations) {
                        MonthlySpend spend = monthly(breakdown, plan, cpu);
                        optimization = CostOptimizer.summarise(CostOptimizer.propose(spend), spend.total());
                    }
                    return new CostAnalysis(workflow.toString(), plan.start().toString(), plan.end().toString(),
                            granularity.wire(), CURRENCY, summary(totals, counts), breakdown,
                            trends(plan, granularity, days, counts), optimization, budgetStatus,
                            forecast(plan, days));
                });
    }

    /** The recommendations for the data of {@code range}, with their plans (for applying them). */
    public Uni<List<Proposal>> proposals(UUID workflow, TimeRange range) {
        RangePlan plan = RangePlan.of(range);
        return Uni.combine().all().unis(totals(workflow, plan), cpuAverage(workflow, plan))
                .with((totals, cpu) -> CostOptimizer.propose(monthly(breakdown(totals), plan, cpu)));
    }

    /**
     * The cost of a range, whole ({@link Groupings#WHOLE}) and per component, with each component's cost in the
     * range's two halves (for its trend) and the whole cost of the previous period.
     */
    record CostTotals(Map<String, Map<String, Aggregate>> range, Map<String, Aggregate> firstHalf,
                      Map<String, Aggregate> secondHalf, Duration firstHalfLength, Duration secondHalfLength,
                      Aggregate previous) {

        Aggregate whole() {
            return wholeOf(range);
        }
    }

    /**
     * Every cost total of the view in one statement: the range as its two halves (summed for the range), or whole
     * when too short to split, and the previous period.
     */
    private Uni<CostTotals> totals(UUID workflow, RangePlan plan) {
        List<RangePlan> halves = plan.halves();
        List<RollupReader.Over> plans = new ArrayList<>();
        for (RangePlan p : halves.isEmpty() ? List.of(plan) : halves) {
            plans.add(new RollupReader.Over(p, List.of(Groupings.WHOLE, Dimensions.COST_COMPONENT)));
        }
        plans.add(new RollupReader.Over(RangePlan.of(plan.range().previous()), List.of(Groupings.WHOLE)));
        return rollups.byGroups(workflow, MetricType.COST, plans)
                .map(groups -> {
                    Aggregate previous = wholeOf(groups.get(plans.size() - 1));
                    if (halves.isEmpty()) {
                        return new CostTotals(groups.get(0), Map.of(), Map.of(), Duration.ZERO, Duration.ZERO,
                                previous);
                    }
                    return new CostTotals(RollupReader.sum(groups.get(0), groups.get(1)),
                            groups.get(0).get(Dimensions.COST_COMPONENT), groups.get(1).get(Dimensions.COST_COMPONENT),
                            halves.get(0).range().duration(), halves.get(1).range().duration(), previous);
                });
    }

    private static Aggregate wholeOf(Map<String, Map<String, Aggregate>> groups) {
        return groups.get(Groupings.WHOLE).getOrDefault("", Aggregate.EMPTY);
    }

    private static CostSummary summary(CostTotals totals, List<Point> executionsPerBucket) {
        double total = totals.whole().total();
        long executions = 0;
        for (Point p : executionsPerBucket) {
            executions += p.aggregate().sum().longValue();
        }
        double previousTotal = totals.previous().total();
        double change = previousTotal > 0 ? (total - previousTotal) / previousTotal * 100 : 0;
        return new CostSummary(total, executions, perExecution(total, executions), previousTotal, change, CURRENCY);
    }

    private static CostBreakdown breakdown(CostTotals t) {
        return breakdown(t.whole(), t.range().get(Dimensions.COST_COMPONENT), t.firstHalf(), t.secondHalf(),
                t.firstHalfLength(), t.secondHalfLength());
    }

    static CostBreakdown breakdown(Aggregate whole, Map<String, Aggregate> groups, Map<String, Aggregate> first,
                                   Map<String, Aggregate> second, Duration firstHalf, Duration secondHalf) {
        Map<CostCategory, BigDecimal> byCategory = new HashMap<>();
        BigDecimal attributed = BigDecimal.ZERO;
        double total = whole.total();
        List<CostComponent> components = new ArrayList<>();
        for (Map.Entry<String, Aggregate> e : groups.entrySet()) {
            Aggregate a = e.getValue();
            // Components outside the contract's categories count as overhead (the six fields add up to the total).
            byCategory.merge(category(e.getKey()), a.sum(), BigDecimal::add);
            attributed = attributed.add(a.sum());
            String trend = trend(first.getOrDefault(e.getKey(), Aggregate.EMPTY).total(), firstHalf,
                    second.getOrDefault(e.getKey(), Aggregate.EMPTY).total(), secondHalf);
            components.add(component(e.getKey(), a.total(), total, a.count(), a.mean(), trend));
        }
        // Cost records without a component (possible over the HTTP intake) are overhead too.
        BigDecimal unattributed = whole.sum().subtract(attributed);
        if (unattributed.signum() != 0) {
            byCategory.merge(CostCategory.OVERHEAD, unattributed, BigDecimal::add);
            long count = Math.max(0, whole.count() - groups.values().stream().mapToLong(Aggregate::count).sum());
            double amount = unattributed.doubleValue();
            components.add(component(UNATTRIBUTED, amount, total, count, count == 0 ? 0 : amount / count, "stable"));
        }
        components.sort(Comparator.comparingDouble(CostComponent::amount).reversed()
                .thenComparing(CostComponent::category));
        return new CostBreakdown(amount(byCategory, CostCategory.COMPUTE), amount(byCategory, CostCategory.STORAGE),
                amount(byCategory, CostCategory.NETWORK), amount(byCategory, CostCategory.API_CALLS),
                amount(byCategory, CostCategory.THIRD_PARTY_SERVICES), amount(byCategory, CostCategory.OVERHEAD),
                components);
    }

    private static CostComponent component(String category, double amount, double total, long quantity,
                                           double unitPrice, String trend) {
        return new CostComponent(category, amount, total > 0 ? amount / total * 100 : 0, CURRENCY, unitPrice,
                quantity, trend);
    }

    private static CostCategory category(String component) {
        for (CostCategory c : CostCategory.values()) {
            if (c.wire().equals(component)) {
                return c;
            }
        }
        return CostCategory.OVERHEAD;
    }

    private static double amount(Map<CostCategory, BigDecimal> byCategory, CostCategory category) {
        return byCategory.getOrDefault(category, BigDecimal.ZERO).doubleValue();
    }

    /** Compares the spend rate (per millisecond) of the second half of the range with the first's. */
    static String trend(double first, Duration firstHalf, double second, Duration secondHalf) {
        if (firstHalf.isZero() || secondHalf.isZero()) {
            return "stable";
        }
        double before = first / firstHalf.toMillis();
        double after = second / secondHalf.toMillis();
        if (before == 0) {
            return after > 0 ? "increasing" : "stable";
        }
        double change = (after - before) / before;
        return change > TREND_THRESHOLD ? "increasing" : change < -TREND_THRESHOLD ? "decreasing" : "stable";
    }

    private static List<CostTrend> trends(RangePlan plan, CostPeriod granularity, List<Point> dailyCost,
                                          List<Point> executions) {
        Map<Instant, Aggregate> costs = byBucket(RollupReader.regroup(dailyCost, granularity.granularity));
        Map<Instant, Aggregate> counts = byBucket(executions);
        List<CostTrend> out = new ArrayList<>();
        // Every bucket the range touches, empty ones as zeros, so that charts keep their time axis.
        for (Instant b = granularity.start(plan.start()); b.isBefore(plan.end()); b = granularity.next(b)) {
            double c = costs.getOrDefault(b, Aggregate.EMPTY).total();
            long n = counts.getOrDefault(b, Aggregate.EMPTY).sum().longValue();
            out.add(new CostTrend(b.toString(), c, n, perExecution(c, n)));
        }
        return out;
    }

    /** The forecast from the whole UTC days of the range, from the first day with cost on. */
    private static CostForecast forecast(RangePlan plan, List<Point> series) {
        Instant firstDay = CostPeriod.DAY.start(plan.start());
        if (firstDay.isBefore(plan.start())) {
            firstDay = CostPeriod.DAY.next(firstDay);
        }
        Instant endDay = CostPeriod.DAY.start(plan.end());
        Map<Instant, Aggregate> byDay = byBucket(series);
        List<Double> daily = new ArrayList<>();
        Instant start = null;
        for (Instant d = firstDay; d.isBefore(endDay); d = CostPeriod.DAY.next(d)) {
            double cost = byDay.getOrDefault(d, Aggregate.EMPTY).total();
            // Days before the first cost are before the workflow ran: they say nothing of its trend.
            if (start == null && cost == 0) {
                continue;
            }
            if (start == null) {
                start = d;
            }
            daily.add(cost);
        }
        double[] values = daily.stream().mapToDouble(Double::doubleValue).toArray();
        return CostForecaster.forecast(start == null ? endDay : start, values);
    }

    private Uni<Double> cpuAverage(UUID workflow, RangePlan plan) {
        return rollups.byGroup(workflow, MetricType.RESOURCE_USAGE, Groupings.RESOURCE, plan, false).map(groups -> {
            Aggregate cpu = groups.get("cpu");
            return cpu == null || cpu.count() == 0 ? null : cpu.mean();
        });
    }

    /** Every budget of the workflow against the spend of its current period (UTC) up to now. */
    private Uni<CostAnalysis.BudgetAnalysis> budgetStatus(UUID workflow, Instant now) {
        return budgets.list(workflow).chain(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(CostAnalysis.BudgetAnalysis.of(List.of()));
            }
            // Each budget's current period up to now: the spend of all of them in one statement.
            List<Instant[]> periods = new ArrayList<>();
            List<RollupReader.Over> plans = new ArrayList<>();
            for (CostBudget budget : list) {
                CostPeriod period = CostPeriod.valueOf(budget.period().toUpperCase(java.util.Locale.ROOT));
                Instant start = period.start(now);
                Instant upTo = now.isAfter(start) ? now : start.plusMillis(1);
                periods.add(new Instant[] {start, period.next(start)});
                plans.add(new RollupReader.Over(RangePlan.of(new TimeRange(start, upTo)), List.of(Groupings.WHOLE)));
            }
            return rollups.byGroups(workflow, MetricType.COST, plans).map(spent -> {
                List<BudgetStatus> statuses = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    statuses.add(budgetStatus(list.get(i), periods.get(i)[0], periods.get(i)[1], now,
                            wholeOf(spent.get(i)).total()));
                }
                return CostAnalysis.BudgetAnalysis.of(statuses);
            });
        });
    }

    static BudgetStatus budgetStatus(CostBudget budget, Instant start, Instant end, Instant now, double spent) {
        double elapsed = (double) Duration.between(start, now).toMillis() / Duration.between(start, end).toMillis();
        // Linear: the rest of the period spends at the rate of its elapsed part.
        double projected = elapsed > 0 ? spent / Math.min(1, elapsed) : spent;
        double amount = budget.amount();
        String status = spent > amount ? "over_budget" : projected >= AT_RISK_SHARE * amount ? "at_risk" : "on_track";
        return new BudgetStatus(budget.period(), amount, budget.currency(), start.toString(), end.toString(), spent,
                projected, spent / amount, projected / amount, status);
    }

    /** The spend of the range scaled to 30 days, per category, for the optimisation rules. */
    private static MonthlySpend monthly(CostBreakdown b, RangePlan plan, Double cpuAverage) {
        double f = (double) MONTH.toMillis() / plan.range().duration().toMillis();
        return new MonthlySpend(b.compute() * f, b.storage() * f, b.network() * f, b.apiCalls() * f,
                b.thirdPartyServices() * f, b.overhead() * f, cpuAverage);
    }

    private static Map<Instant, Aggregate> byBucket(List<Point> series) {
        Map<Instant, Aggregate> out = new LinkedHashMap<>();
        series.forEach(p -> out.put(p.bucket(), p.aggregate()));
        return out;
    }

    private static double perExecution(double cost, long executions) {
        return executions > 0 ? cost / executions : 0;
    }
}
