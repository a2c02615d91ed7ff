package io.workflowanalytics.query.rollup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.time.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Answers every analytics question from the rollups: totals and merged sketches per grouping over a range, time
 * series at any granularity, and a workflow's sums per hour of the day. Never scans raw metrics.
 */
@ApplicationScoped
public class RollupReader {

    /** The rows of one workflow, metric type and grouping that cover a plan's parts. */
    private static final String COVER = cover("= $2");
    /** As {@link #COVER} for several metric types: {@code $2} an array of them. */
    private static final String COVER_TYPES = cover("= ANY($2::varchar[])");

    private static final String TOTALS = "SELECT r.dim_value, sum(r.count)::int8, sum(r.sum), sum(r.sum_sq), "
            + "min(r.min), max(r.max), NULL::int8[] " + COVER + " GROUP BY r.dim_value";
    /** The covering rows one by one: their sketches merge in Java, far cheaper than sketch_merge_agg in SQL. */
    private static final String ROWS_WITH_SKETCH = "SELECT r.dim_value, r.count, r.sum, r.sum_sq, r.min, r.max, "
            + "r.sketch " + COVER;
    /**
     * Totals of groupings over plans (p.s numbers the plan a part belongs to, p.k the grouping it is read for): one
     * round trip where a view needs many breakdowns of one metric over its range, its halves or its previous period.
     */
    private static final String GROUPINGS_TOTALS = "SELECT p.s, r.dim_key, r.dim_value, sum(r.count)::int8, "
            + "sum(r.sum), sum(r.sum_sq), min(r.min), max(r.max), NULL::int8[] " + """
            FROM unnest($3::varchar[], $4::varchar[], $5::timestamptz[], $6::timestamptz[], $7::int4[])
                 AS p(k, l, f, t, s)
            JOIN metric_rollups r ON r.workflow_id = $1 AND r.metric_type = $2 AND r.dim_key = p.k
                 AND r.level = p.l AND r.bucket >= p.f AND r.bucket < p.t
            GROUP BY p.s, r.dim_key, r.dim_value""";
    /**
     * For {@link #GROUPINGS_TOTALS}, within its transaction: the planner estimates a few hundred rows for its parts
     * (a 90-day usage breakdown reads ~5,500) and sorts them to group them, 7.5–8.5 ms warm where hashing takes
     * 3.0–3.5 ms (docs/benchmarks.md, 2026-12-04).
     */
    private static final String HASH_AGGREGATION = "SET LOCAL enable_sort = off";
    private static final String DISTINCT = "SELECT count(DISTINCT r.dim_value) " + COVER;
    private static final String SERIES_ROWS = "SELECT r.metric_type, r.bucket, r.count, r.sum, r.sum_sq, r.min, "
            + "r.max, r.sketch " + COVER_TYPES + " AND r.dim_value = $7";

    /**
     * A whole workflow's sums per UTC hour of the day: the hours and minutes at a range's edges from their rollup
     * rows, its whole days from day_hour_sums (one row per day instead of its 24 hour rows).
     */
    private static final String HOUR_OF_DAY_SUMS = "SELECT extract(hour FROM r.bucket AT TIME ZONE 'UTC')::int, "
            + "sum(r.sum) " + COVER + " AND r.dim_value = '' GROUP BY 1" + """

            UNION ALL
            SELECT u.i::int - 1, sum(u.x)
            FROM day_hour_sums d
            JOIN unnest($7::date[], $8::date[]) AS p(f, t) ON d.day >= p.f AND d.day < p.t
            CROSS JOIN LATERAL unnest(d.sums) WITH ORDINALITY AS u(x, i)
            WHERE d.workflow_id = $1 AND d.metric_type = $2
            GROUP BY 1""";

    /** One point of a series: the bucket's start and what it holds. */
    public record Point(Instant bucket, Aggregate aggregate) {
    }

    private final Pool pool;

    public RollupReader(Pool pool) {
        this.pool = pool;
    }

    /** Aggregates per value of {@code dimKey} ({@link Groupings#WHOLE} for the whole workflow). */
    public Uni<Map<String, Aggregate>> byGroup(UUID workflow, MetricType type, String dimKey, RangePlan plan,
                                               boolean sketches) {
        return pool.preparedQuery(sketches ? ROWS_WITH_SKETCH : TOTALS).execute(params(workflow, type, dimKey, plan))
                .map(rows -> {
                    Map<String, Aggregate> out = new LinkedHashMap<>();
                    for (Row row : rows) {
                        out.merge(row.getString(0), aggregate(row, 1), Aggregate::plus);
                    }
                    return out;
                });
    }

    /**
     * Aggregates per value of each of {@code dimKeys}, in one statement: dimension key to (value to aggregate), every
     * key present (empty when it has no data).
     */
    public Uni<Map<String, Map<String, Aggregate>>> byGroups(UUID workflow, MetricType type, List<String> dimKeys,
                                                             RangePlan plan) {
        return byGroups(workflow, type, List.of(new Over(plan, dimKeys))).map(results -> results.get(0));
    }

    /** Groupings ({@code dimKeys}) to sum over a plan's rows. */
    public record Over(RangePlan plan, List<String> dimKeys) {
    }

    /**
     * As {@link #byGroups(UUID, MetricType, List, RangePlan)} for each of several plans with their own groupings,
     * in one statement: per plan, in the order given, dimension key to (value to aggregate), every key asked
     * present. Plans may overlap; each is summed on its own.
     */
    public Uni<List<Map<String, Map<String, Aggregate>>>> byGroups(UUID workflow, MetricType type, List<Over> plans) {
        List<String> keys = new ArrayList<>();
        List<String> levels = new ArrayList<>();
        List<OffsetDateTime> from = new ArrayList<>();
        List<OffsetDateTime> to = new ArrayList<>();
        List<Integer> segment = new ArrayList<>();
        for (int s = 0; s < plans.size(); s++) {
            for (String key : plans.get(s).dimKeys()) {
                for (RangePlan.Part part : plans.get(s).plan().parts()) {
                    keys.add(key);
                    levels.add(part.level().wire());
                    from.add(part.from().atOffset(ZoneOffset.UTC));
                    to.add(part.to().atOffset(ZoneOffset.UTC));
                    segment.add(s);
                }
            }
        }
        Tuple params = Tuple.from(new Object[] {workflow, type.wire(), keys.toArray(String[]::new),
                levels.toArray(String[]::new), from.toArray(OffsetDateTime[]::new),
                to.toArray(OffsetDateTime[]::new), segment.toArray(Integer[]::new)});
        return pool.withTransaction(tx -> tx.query(HASH_AGGREGATION).execute()
                .chain(() -> tx.preparedQuery(GROUPINGS_TOTALS).execute(params))).map(rows -> {
            List<Map<String, Map<String, Aggregate>>> out = new ArrayList<>(plans.size());
            for (Over over : plans) {
                Map<String, Map<String, Aggregate>> groups = new LinkedHashMap<>();
                over.dimKeys().forEach(k -> groups.put(k, new LinkedHashMap<>()));
                out.add(groups);
            }
            for (Row row : rows) {
                out.get(row.getInteger(0)).get(row.getString(1)).merge(row.getString(2), aggregate(row, 3),
                        Aggregate::plus);
            }
            return out;
        });
    }

    /** Two results of {@link #byGroups} added up, as one statement over both ranges would answer. */
    public static Map<String, Map<String, Aggregate>> sum(Map<String, Map<String, Aggregate>> a,
                                                          Map<String, Map<String, Aggregate>> b) {
        Map<String, Map<String, Aggregate>> out = new LinkedHashMap<>();
        for (Map<String, Map<String, Aggregate>> groups : List.of(a, b)) {
            groups.forEach((key, values) -> {
                Map<String, Aggregate> sums = out.computeIfAbsent(key, k -> new LinkedHashMap<>());
                values.forEach((value, aggregate) -> sums.merge(value, aggregate, Aggregate::plus));
            });
        }
        return out;
    }

    /**
     * Time series of every value of {@code dimKey} in one statement (as {@link #series(UUID, MetricType, String,
     * String, TimeRange, Granularity)} for each, without sketches): value to its points, oldest first.
     */
    public Uni<Map<String, List<Point>>> seriesByValue(UUID workflow, MetricType type, String dimKey, TimeRange range,
                                                      Granularity granularity) {
        RangePlan plan = RangePlan.of(range, granularity.source);
        String sql = "SELECT r.dim_value, date_trunc('" + granularity.wire() + "', r.bucket AT TIME ZONE 'UTC') AS b, "
                + "sum(r.count)::int8, sum(r.sum), sum(r.sum_sq), min(r.min), max(r.max), NULL::int8[] " + COVER
                + " GROUP BY r.dim_value, b ORDER BY r.dim_value, b";
        return pool.preparedQuery(sql).execute(params(workflow, type, dimKey, plan)).map(rows -> {
            Map<String, List<Point>> out = new LinkedHashMap<>();
            for (Row row : rows) {
                out.computeIfAbsent(row.getString(0), v -> new ArrayList<>())
                        .add(new Point(row.getLocalDateTime(1).toInstant(ZoneOffset.UTC), aggregate(row, 2)));
            }
            return out;
        });
    }

    /** The whole workflow's aggregate of a metric type (empty when there is none). */
    public Uni<Aggregate> whole(UUID workflow, MetricType type, RangePlan plan, boolean sketch) {
        return byGroup(workflow, type, Groupings.WHOLE, plan, sketch)
                .map(groups -> groups.getOrDefault("", Aggregate.EMPTY));
    }

    /** How many distinct values of {@code dimKey} have data in the range (active users, say). */
    public Uni<Long> distinct(UUID workflow, MetricType type, String dimKey, RangePlan plan) {
        return pool.preparedQuery(DISTINCT).execute(params(workflow, type, dimKey, plan))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * A time series of one grouping value ({@code dimValue}; "" for the whole workflow), oldest first, with only
     * the buckets that hold data.
     */
    public Uni<List<Point>> series(UUID workflow, MetricType type, String dimKey, String dimValue, TimeRange range,
                                   Granularity granularity) {
        return series(workflow, type, dimKey, dimValue, range, granularity, false);
    }

    /** As {@link #series(UUID, MetricType, String, String, TimeRange, Granularity)}, with each point's sketch. */
    public Uni<List<Point>> series(UUID workflow, MetricType type, String dimKey, String dimValue, TimeRange range,
                                   Granularity granularity, boolean sketches) {
        return series(workflow, List.of(type), dimKey, dimValue, range, granularity, sketches).map(s -> s.get(type));
    }

    /**
     * The series of several metric types in one statement (as {@link #series(UUID, MetricType, String, String,
     * TimeRange, Granularity, boolean)} for each): type to its points, every type asked present.
     */
    public Uni<Map<MetricType, List<Point>>> series(UUID workflow, List<MetricType> types, String dimKey,
                                                    String dimValue, TimeRange range, Granularity granularity,
                                                    boolean sketches) {
        RangePlan plan = RangePlan.of(range, granularity.source);
        Tuple params = params(workflow, types.stream().map(MetricType::wire).toArray(String[]::new), dimKey, plan)
                .addString(dimValue);
        Map<String, MetricType> byWire = new LinkedHashMap<>();
        types.forEach(t -> byWire.put(t.wire(), t));
        // The covering rows one by one, summed per bucket here: sketch_merge_agg in SQL cost more than the rest.
        String sql = sketches ? SERIES_ROWS : "SELECT r.metric_type, date_trunc('" + granularity.wire()
                + "', r.bucket AT TIME ZONE 'UTC') AS b, sum(r.count)::int8, sum(r.sum), sum(r.sum_sq), min(r.min), "
                + "max(r.max), NULL::int8[] " + COVER_TYPES + " AND r.dim_value = $7 GROUP BY r.metric_type, b "
                + "ORDER BY r.metric_type, b";
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            Map<MetricType, List<Point>> out = new LinkedHashMap<>();
            types.forEach(t -> out.put(t, new ArrayList<>()));
            for (Row row : rows) {
                Instant bucket = sketches ? row.getOffsetDateTime(1).toInstant()
                        : row.getLocalDateTime(1).toInstant(ZoneOffset.UTC);
                out.get(byWire.get(row.getString(0))).add(new Point(bucket, aggregate(row, 2)));
            }
            if (sketches) {
                out.replaceAll((type, covering) -> regroup(covering, granularity));
            }
            return out;
        });
    }

    /**
     * A series (or covering rollup rows) summed into buckets of a width (days into weeks or months, say), oldest
     * first: the same points as reading the series at that width, for points at a width that divides it.
     */
    public static List<Point> regroup(List<Point> series, Granularity wider) {
        TreeMap<Instant, Aggregate> points = new TreeMap<>();
        for (Point p : series) {
            points.merge(truncate(p.bucket(), wider), p.aggregate(), Aggregate::plus);
        }
        List<Point> out = new ArrayList<>(points.size());
        points.forEach((bucket, aggregate) -> out.add(new Point(bucket, aggregate)));
        return out;
    }

    /** The start of the UTC bucket of this width holding t: what date_trunc does (weeks start on Monday). */
    static Instant truncate(Instant t, Granularity granularity) {
        return switch (granularity) {
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> LocalDate.ofInstant(t, ZoneOffset.UTC)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> LocalDate.ofInstant(t, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        };
    }

    /**
     * The whole workflow's sums of a metric per UTC hour of the day over a range (24, hour 0 first), for the types
     * {@link RollupBatch#HOURS_OF_DAY} keeps.
     */
    public Uni<BigDecimal[]> hourOfDaySums(UUID workflow, MetricType type, TimeRange range) {
        if (!RollupBatch.HOURS_OF_DAY.contains(type)) {
            throw new IllegalArgumentException("no sums per hour of the day are kept for " + type.wire());
        }
        RangePlan plan = RangePlan.of(range);
        // Whole months and whole days alike from day_hour_sums, which has a row per day.
        List<RangePlan.Part> edges = plan.parts().stream().filter(p -> p.level().compareTo(RollupLevel.DAY) < 0)
                .toList();
        List<RangePlan.Part> days = plan.parts().stream().filter(p -> p.level().compareTo(RollupLevel.DAY) >= 0)
                .toList();
        Tuple params = params(workflow, type, Groupings.WHOLE, new RangePlan(plan.start(), plan.end(), edges));
        params.addArrayOfLocalDate(days.stream().map(p -> LocalDate.ofInstant(p.from(), ZoneOffset.UTC))
                .toArray(LocalDate[]::new));
        params.addArrayOfLocalDate(days.stream().map(p -> LocalDate.ofInstant(p.to(), ZoneOffset.UTC))
                .toArray(LocalDate[]::new));
        return pool.preparedQuery(HOUR_OF_DAY_SUMS).execute(params).map(rows -> {
            BigDecimal[] out = new BigDecimal[24];
            Arrays.fill(out, BigDecimal.ZERO);
            for (Row row : rows) {
                BigDecimal sum = row.getBigDecimal(1);
                if (sum != null) {
                    out[row.getInteger(0)] = out[row.getInteger(0)].add(sum);
                }
            }
            return out;
        });
    }

    /** The rows of one workflow, metric type(s) and grouping that cover a plan's parts. */
    private static String cover(String metricTypeCondition) {
        return """
                FROM metric_rollups r
                JOIN unnest($4::varchar[], $5::timestamptz[], $6::timestamptz[]) AS p(l, f, t)
                  ON r.level = p.l AND r.bucket >= p.f AND r.bucket < p.t
                WHERE r.workflow_id = $1 AND r.metric_type\s""" + metricTypeCondition + " AND r.dim_key = $3";
    }

    private static Tuple params(UUID workflow, MetricType type, String dimKey, RangePlan plan) {
        return params(workflow, type.wire(), dimKey, plan);
    }

    /** @param type a metric type's wire name, or an array of them for {@link #COVER_TYPES} */
    private static Tuple params(UUID workflow, Object type, String dimKey, RangePlan plan) {
        int n = plan.parts().size();
        String[] levels = new String[n];
        OffsetDateTime[] from = new OffsetDateTime[n];
        OffsetDateTime[] to = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            RangePlan.Part part = plan.parts().get(i);
            levels[i] = part.level().wire();
            from[i] = part.from().atOffset(ZoneOffset.UTC);
            to[i] = part.to().atOffset(ZoneOffset.UTC);
        }
        return Tuple.of(workflow, type, dimKey, levels, from, to);
    }

    private static Aggregate aggregate(Row row, int first) {
        long count = row.getLong(first);
        BigDecimal sum = row.getBigDecimal(first + 1);
        Long[] sketch = row.getArrayOfLongs(first + 5);
        QuantileSketch merged = new QuantileSketch();
        if (sketch != null) {
            long[] encoded = new long[sketch.length];
            for (int i = 0; i < sketch.length; i++) {
                encoded[i] = sketch[i];
            }
            merged.merge(encoded);
        }
        return new Aggregate(count, sum == null ? BigDecimal.ZERO : sum, row.getDouble(first + 2),
                row.getDouble(first + 3), row.getDouble(first + 4), merged);
    }
}
