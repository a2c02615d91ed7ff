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
        // Read once what several sections use: the cost totals (summary, breakdown) and the daily cost series
        // (forecast; trends, summed into weeks or months where asked). Each section reading its own had made 12
        // statements.
        Uni<Map<String, Map<String, Aggregate>>> costs = costGroups(workflow, plan).memoize().indefinitely();
        Uni<List<Point>> daily = rollups.series(workflow, MetricType.COST, Groupings.WHOLE, "", plan.range(),
                CostPeriod.DAY.granularity).memoize().indefinitely();
        return Uni.combine().all().unis(
                        summary(workflow, plan, costs.map(CostService::wholeOf)),
                        breakdown(workflow, plan, costs),
                        trends(workflow, plan, granularity, daily),
                        forecast(plan, daily),
                        cpuAverage(workflow, plan),
                        budgetStatus(workflow, now))
                .with((summary, breakdown, trends, forecast, cpu, budgetStatus) -> {
                    CostAnalysis.CostOptimization optimization = null;
                    if (withOptimizations) {
                        MonthlySpend spend = monthly(breakdown, plan, cpu);
                        optimization = CostOptimizer.summarise(CostOptimizer.propose(spend), spend.total());
                    }
                    return new CostAnalysis(workflow.toString(), plan.start().toString(), plan.end().toString(),
                            granularity.wire(), CURRENCY, summary, breakdown, trends, optimization, budgetStatus,
                            forecast);
                });
    }

    /** The recommendations for the data of {@code range}, with their plans (for applying them). */
    public Uni<List<Proposal>> proposals(UUID workflow, TimeRange range) {
        RangePlan plan = RangePlan.of(range);
        return Uni.combine().all().unis(breakdown(workflow, plan, costGroups(workflow, plan)),
                        cpuAverage(workflow, plan))
                .with((breakdown, cpu) -> CostOptimizer.propose(monthly(breakdown, plan, cpu)));
    }

    /** The range's cost: the whole workflow's ({@link Groupings#WHOLE}) and per cost component. */
    private Uni<Map<String, Map<String, Aggregate>>> costGroups(UUID workflow, RangePlan plan) {
        return rollups.byGroups(workflow, MetricType.COST, List.of(Groupings.WHOLE, Dimensions.COST_COMPONENT), plan);
    }

    private static Aggregate wholeOf(Map<String, Map<String, Aggregate>> groups) {
        return groups.get(Groupings.WHOLE).getOrDefault("", Aggregate.EMPTY);
    }

    private Uni<CostSummary> summary(UUID workflow, RangePlan plan, Uni<Aggregate> rangeCost) {
        RangePlan previous = RangePlan.of(plan.range().previous());
        return Uni.combine().all().unis(
                        rangeCost,
                        rollups.whole(workflow, MetricType.EXECUTION_COUNT, plan, false),
                        rollups.whole(workflow, MetricType.COST, previous, false))
                .with((cost, count, before) -> {
                    double total = cost.total();
                    long executions = count.sum().longValue();
                    double previousTotal = before.total();
                    double change = previousTotal > 0 ? (total - previousTotal) / previousTotal * 100 : 0;
                    return new CostSummary(total, executions, perExecution(total, executions), previousTotal, change,
                            CURRENCY);
                });
    }

    private Uni<CostBreakdown> breakdown(UUID workflow, RangePlan plan,
                                         Uni<Map<String, Map<String, Aggregate>>> costs) {
        Instant mid = plan.middle();
        boolean halves = mid.isAfter(plan.start());
        Uni<Map<String, Aggregate>> none = Uni.createFrom().item(Map.of());
        return Uni.combine().all().unis(
                        costs,
                        halves ? rollups.byGroup(workflow, MetricType.COST, Dimensions.COST_COMPONENT,
                                RangePlan.of(new TimeRange(plan.start(), mid)), false) : none,
                        halves ? rollups.byGroup(workflow, MetricType.COST, Dimensions.COST_COMPONENT,
                                RangePlan.of(new TimeRange(mid, plan.end())), false) : none)
                .with((groups, first, second) -> breakdown(wholeOf(groups),
                        groups.get(Dimensions.COST_COMPONENT), first, second,
                        Duration.between(plan.start(), mid), Duration.between(mid, plan.end())));
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

    private Uni<List<CostTrend>> trends(UUID workflow, RangePlan plan, CostPeriod granularity,
                                        Uni<List<Point>> dailyCost) {
        return Uni.combine().all().unis(
                        dailyCost.map(days -> RollupReader.regroup(days, granularity.granularity)),
                        rollups.series(workflow, MetricType.EXECUTION_COUNT, Groupings.WHOLE, "", plan.range(),
                                granularity.granularity))
                .with((cost, count) -> {
                    Map<Instant, Aggregate> costs = byBucket(cost);
                    Map<Instant, Aggregate> counts = byBucket(count);
                    List<CostTrend> out = new ArrayList<>();
                    // Every bucket the range touches, empty ones as zeros, so that charts keep their time axis.
                    for (Instant b = granularity.start(plan.start()); b.isBefore(plan.end()); b = granularity.next(b)) {
                        double c = costs.getOrDefault(b, Aggregate.EMPTY).total();
                        long n = counts.getOrDefault(b, Aggregate.EMPTY).sum().longValue();
                        out.add(new CostTrend(b.toString(), c, n, perExecution(c, n)));
                    }
                    return out;
                });
    }

    /** The forecast from the whole UTC days of the range, from the first day with cost on. */
    private static Uni<CostForecast> forecast(RangePlan plan, Uni<List<Point>> dailyCost) {
        Instant firstDay = CostPeriod.DAY.start(plan.start());
        if (firstDay.isBefore(plan.start())) {
            firstDay = CostPeriod.DAY.next(firstDay);
        }
        Instant endDay = CostPeriod.DAY.start(plan.end());
        Instant from = firstDay;
        return dailyCost.map(series -> {
            Map<Instant, Aggregate> byDay = byBucket(series);
            List<Double> daily = new ArrayList<>();
            Instant start = null;
            for (Instant d = from; d.isBefore(endDay); d = CostPeriod.DAY.next(d)) {
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
        });
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
            List<Uni<BudgetStatus>> statuses = new ArrayList<>();
            for (CostBudget budget : list) {
                CostPeriod period = CostPeriod.valueOf(budget.period().toUpperCase(java.util.Locale.ROOT));
                Instant start = period.start(now);
                Instant end = period.next(start);
                Instant upTo = now.isAfter(start) ? now : start.plusMillis(1);
                statuses.add(rollups.whole(workflow, MetricType.COST, RangePlan.of(new TimeRange(start, upTo)), false)
                        .map(spent -> budgetStatus(budget, start, end, now, spent.total())));
            }
            return Uni.join().all(statuses).andFailFast().map(CostAnalysis.BudgetAnalysis::of);
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
