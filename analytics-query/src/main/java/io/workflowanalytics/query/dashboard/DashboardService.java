package io.workflowanalytics.query.dashboard;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.alerts.AlertRepository;
import io.workflowanalytics.query.alerts.StoredAlert;
import io.workflowanalytics.query.dashboard.DashboardView.Insight;
import io.workflowanalytics.query.dashboard.DashboardView.Overview;
import io.workflowanalytics.query.dashboard.DashboardView.Point;
import io.workflowanalytics.query.dashboard.DashboardView.TrendData;
import io.workflowanalytics.query.dashboard.DashboardView.WorkflowSummary;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Granularity;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The dashboard overview from the rollups: headline figures, their change, trends, insights, top workflows. */
@ApplicationScoped
public class DashboardService {

    static final int TOP_WORKFLOWS = 5;
    static final double TREND_THRESHOLD = 0.05;

    /** Whole-workflow totals of every workflow (or of the listed ones) over a plan's parts. */
    private static final String WORKFLOW_TOTALS = """
            SELECT r.workflow_id, r.metric_type, sum(r.count)::int8, sum(r.sum)
            FROM metric_rollups r
            JOIN unnest($1::varchar[], $2::timestamptz[], $3::timestamptz[]) AS p(l, f, t)
              ON r.level = p.l AND r.bucket >= p.f AND r.bucket < p.t
            WHERE r.dim_key = '' AND r.metric_type IN ('execution_count', 'execution_time', 'success_rate', 'cost')
              AND ($4::uuid[] IS NULL OR r.workflow_id = ANY($4::uuid[]))
            GROUP BY 1, 2""";

    private final RollupReader rollups;
    private final Pool pool;
    private final AlertRepository alerts;

    public DashboardService(RollupReader rollups, Pool pool, AlertRepository alerts) {
        this.rollups = rollups;
        this.pool = pool;
        this.alerts = alerts;
    }

    public Uni<DashboardView> overview(UUID workflow, TimeRange range, Granularity granularity,
                                       List<MetricType> trendMetrics, Set<String> allowedWorkflows) {
        RangePlan plan = RangePlan.of(range);
        Uni<List<TrendData>> trends = trendMetrics.isEmpty() ? Uni.createFrom().item(List.of())
                : rollups.series(workflow, trendMetrics, Groupings.WHOLE, "", plan.range(), granularity, false)
                        .map(series -> trendMetrics.stream().map(t -> trend(t, granularity, series.get(t))).toList());
        return Uni.combine().all().unis(
                        headline(workflow, plan, null),
                        headline(workflow, RangePlan.of(plan.range().previous()), null),
                        trends,
                        topWorkflows(plan, allowedWorkflows),
                        // Open alerts whatever the range: an alert transition drops the cached dashboard.
                        alerts.open(workflow).map(open -> open.stream().map(StoredAlert::toAlert).toList()))
                .with((now, before, series, top, open) -> {
                    Overview overview = new Overview(now.totalExecutions(), now.successRate(),
                            now.averageExecutionTime(), now.totalCost(), now.activeUsers(), before, change(now, before));
                    return new DashboardView(workflow.toString(), plan.start().toString(), plan.end().toString(),
                            granularity.wire(), overview, series, insights(overview, series), open, top);
                });
    }

    private Uni<Overview> headline(UUID workflow, RangePlan plan, Overview previous) {
        return Uni.combine().all().unis(
                        rollups.whole(workflow, MetricType.EXECUTION_COUNT, plan, false),
                        rollups.whole(workflow, MetricType.SUCCESS_RATE, plan, false),
                        rollups.whole(workflow, MetricType.EXECUTION_TIME, plan, false),
                        rollups.whole(workflow, MetricType.COST, plan, false),
                        rollups.distinct(workflow, MetricType.EXECUTION_COUNT, Dimensions.USER_ID, plan))
                .with((count, success, time, cost, users) -> new Overview(count.sum().longValue(), success.mean(),
                        time.mean(), cost.total(), users, previous, null));
    }

    private static Map<String, Double> change(Overview now, Overview before) {
        Map<String, Double> change = new LinkedHashMap<>();
        change.put("totalExecutions", relative(now.totalExecutions(), before.totalExecutions()));
        change.put("successRate", now.successRate() - before.successRate());
        change.put("averageExecutionTime", relative(now.averageExecutionTime(), before.averageExecutionTime()));
        change.put("totalCost", relative(now.totalCost(), before.totalCost()));
        change.put("activeUsers", relative(now.activeUsers(), before.activeUsers()));
        return change;
    }

    static double relative(double now, double before) {
        return before == 0 ? 0 : (now - before) / Math.abs(before);
    }

    /** Counts and costs plot their totals per bucket; times and rates their averages. */
    private static TrendData trend(MetricType type, Granularity granularity, List<RollupReader.Point> series) {
        boolean totals = type == MetricType.EXECUTION_COUNT || type == MetricType.COST;
        List<Point> points = new ArrayList<>(series.size());
        for (RollupReader.Point p : series) {
            Aggregate a = p.aggregate();
            points.add(new Point(p.bucket().toString(), totals ? a.total() : a.mean(), a.count()));
        }
        int third = points.size() / 3;
        double change = 0;
        String direction = "stable";
        if (third > 0) {
            double first = points.subList(0, third).stream().mapToDouble(Point::value).average().orElse(0);
            double last = points.subList(points.size() - third, points.size()).stream().mapToDouble(Point::value)
                    .average().orElse(0);
            change = relative(last, first);
            direction = change > TREND_THRESHOLD ? "increasing" : change < -TREND_THRESHOLD ? "decreasing" : "stable";
        }
        return new TrendData(type.wire(), granularity.wire(), points, direction, change * 100);
    }

    private static List<Insight> insights(Overview o, List<TrendData> trends) {
        List<Insight> out = new ArrayList<>();
        Map<String, Double> c = o.change();
        if (o.previous().totalExecutions() > 0 && Math.abs(c.get("totalExecutions")) >= 0.2) {
            out.add(new Insight("usage", "info", "Executions " + (c.get("totalExecutions") > 0 ? "up" : "down"),
                    String.format(Locale.ROOT, "%d executions, %+.0f%% on the previous period", o.totalExecutions(),
                            c.get("totalExecutions") * 100), "execution_count", c.get("totalExecutions")));
        }
        if (o.totalExecutions() > 0 && o.previous().totalExecutions() > 0 && c.get("successRate") <= -0.02) {
            out.add(new Insight("reliability", c.get("successRate") <= -0.05 ? "critical" : "warning",
                    "Success rate fell", String.format(Locale.ROOT, "%.1f%% succeeded, %.1f points below the "
                            + "previous period", o.successRate() * 100, -c.get("successRate") * 100),
                    "success_rate", o.successRate()));
        }
        if (o.previous().averageExecutionTime() > 0 && c.get("averageExecutionTime") >= 0.1) {
            out.add(new Insight("performance", "warning", "Executions slowed down", String.format(Locale.ROOT,
                    "average %.0f ms, %+.0f%% on the previous period", o.averageExecutionTime(),
                    c.get("averageExecutionTime") * 100), "execution_time", o.averageExecutionTime()));
        }
        if (o.previous().totalCost() > 0 && c.get("totalCost") >= 0.1) {
            out.add(new Insight("cost", "warning", "Costs rose", String.format(Locale.ROOT,
                    "%.2f spent, %+.0f%% on the previous period", o.totalCost(), c.get("totalCost") * 100), "cost",
                    o.totalCost()));
        }
        for (TrendData t : trends) {
            if ("error_rate".equals(t.metric()) && "increasing".equals(t.direction()) && t.changePercent() >= 50) {
                out.add(new Insight("reliability", "warning", "Error rate trending up", String.format(Locale.ROOT,
                        "error rate %+.0f%% from the start of the range to its end", t.changePercent()), t.metric(),
                        t.changePercent()));
            }
        }
        return out;
    }

    private Uni<List<WorkflowSummary>> topWorkflows(RangePlan plan, Set<String> allowed) {
        if (allowed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = plan.parts().size();
        String[] levels = new String[n];
        OffsetDateTime[] from = new OffsetDateTime[n];
        OffsetDateTime[] to = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            levels[i] = plan.parts().get(i).level().wire();
            from[i] = plan.parts().get(i).from().atOffset(ZoneOffset.UTC);
            to[i] = plan.parts().get(i).to().atOffset(ZoneOffset.UTC);
        }
        // A token's workflows claim may hold entries that are no workflow id: they match no workflow, not a 500.
        UUID[] ids = allowed.contains("*") ? null : allowed.stream().map(DashboardService::uuidOrNull)
                .filter(java.util.Objects::nonNull).toArray(UUID[]::new);
        return pool.preparedQuery(WORKFLOW_TOTALS).execute(Tuple.of(levels, from, to, ids)).map(rows -> {
            Map<UUID, Map<String, long[]>> counts = new HashMap<>();
            Map<UUID, Map<String, BigDecimal>> sums = new HashMap<>();
            for (Row row : rows) {
                UUID wf = row.getUUID(0);
                counts.computeIfAbsent(wf, k -> new HashMap<>()).put(row.getString(1), new long[] {row.getLong(2)});
                sums.computeIfAbsent(wf, k -> new HashMap<>()).put(row.getString(1), row.getBigDecimal(3));
            }
            List<WorkflowSummary> out = new ArrayList<>();
            for (UUID wf : counts.keySet()) {
                out.add(new WorkflowSummary(wf.toString(), sum(sums, wf, "execution_count").longValue(),
                        mean(counts, sums, wf, "success_rate"), mean(counts, sums, wf, "execution_time"),
                        sum(sums, wf, "cost").doubleValue()));
            }
            out.sort((a, b) -> a.executions() != b.executions() ? Long.compare(b.executions(), a.executions())
                    : a.workflowId().compareTo(b.workflowId()));
            return out.size() > TOP_WORKFLOWS ? List.copyOf(out.subList(0, TOP_WORKFLOWS)) : out;
        });
    }

    private static BigDecimal sum(Map<UUID, Map<String, BigDecimal>> sums, UUID wf, String type) {
        return sums.get(wf).getOrDefault(type, BigDecimal.ZERO);
    }

    private static double mean(Map<UUID, Map<String, long[]>> counts, Map<UUID, Map<String, BigDecimal>> sums,
                               UUID wf, String type) {
        long[] c = counts.get(wf).get(type);
        return c == null || c[0] == 0 ? 0 : sum(sums, wf, type).doubleValue() / c[0];
    }

    private static UUID uuidOrNull(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
