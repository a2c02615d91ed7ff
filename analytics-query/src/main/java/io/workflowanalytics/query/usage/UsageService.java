package io.workflowanalytics.query.usage;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.events.UserType;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Granularity;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.NodeCatalog;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import io.workflowanalytics.query.usage.UsageView.DeviceUsageData;
import io.workflowanalytics.query.usage.UsageView.FeatureUsage;
import io.workflowanalytics.query.usage.UsageView.GeographicUsage;
import io.workflowanalytics.query.usage.UsageView.PatternData;
import io.workflowanalytics.query.usage.UsageView.PeakWindow;
import io.workflowanalytics.query.usage.UsageView.RegionUsage;
import io.workflowanalytics.query.usage.UsageView.UsageInsight;
import io.workflowanalytics.query.usage.UsageView.UsageOverview;
import io.workflowanalytics.query.usage.UsageView.UserBehaviorAnalysis;
import io.workflowanalytics.query.usage.UsageView.UserSegment;
import io.workflowanalytics.query.usage.UsageView.UserUsageData;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Usage patterns from the rollups (executions by hour, weekday, week, month, user, country, region, device, version
 * and environment) and, for what the rollups do not keep, the finished executions (users per version, environment,
 * region and device; users' hours of day). Definitions in docs/views/usage.md.
 */
@ApplicationScoped
public class UsageService {

    /** The top users listed by executions. */
    static final int TOP_USERS = 50;
    /** Insights: a segment or country "dominates" from this share of executions … */
    static final double DOMINANT_SHARE = 0.5;
    /** … a version "grows" when its share rose by at least this much from the first half of the range to the second. */
    static final double GROWTH_SHARE = 0.05;
    /** … usage is "concentrated" when the top fifth of users (at least this many users) run half the executions. */
    static final int CONCENTRATION_MIN_USERS = 5;

    private final RollupReader rollups;
    private final NodeCatalog nodes;
    private final UsageRepository outcomes;

    public UsageService(RollupReader rollups, NodeCatalog nodes, UsageRepository outcomes) {
        this.rollups = rollups;
        this.nodes = nodes;
        this.outcomes = outcomes;
    }

    /** What every section uses: whole-workflow figures, both cyclic profiles and the users per dimension. */
    private record Base(long total, double averageTime, long activeUsers, long[] hourly, long[] daily,
                        Map<String, Long> users) {
    }

    private record Behaviour(UserBehaviorAnalysis analysis, List<DeviceUsageData> devices, double topFifthShare) {
    }

    private record Geography(List<GeographicUsage> countries, List<RegionUsage> regions) {
    }

    public Uni<UsageView> analyse(UUID workflow, TimeRange requested, Set<PatternType> types, boolean segmentation) {
        RangePlan plan = RangePlan.of(requested);
        TimeRange range = plan.range();
        boolean needUsers = types.contains(PatternType.USER_BEHAVIOR) || types.contains(PatternType.GEOGRAPHIC)
                || types.contains(PatternType.FEATURE_ADOPTION);
        Uni<Map<String, Long>> usersByDimension = needUsers ? outcomes.usersByDimension(workflow, range)
                : Uni.createFrom().item(Map.of());
        // Every breakdown of executions the asked sections need in one statement, and of execution time in
        // another: one round trip per breakdown had made ~19 statements of a view.
        List<String> countKeys = new ArrayList<>(List.of(Groupings.WHOLE));
        if (types.contains(PatternType.USER_BEHAVIOR)) {
            countKeys.addAll(List.of(Dimensions.USER_ID, Dimensions.DEVICE_TYPE));
        }
        if (types.contains(PatternType.GEOGRAPHIC)) {
            countKeys.addAll(List.of(Dimensions.COUNTRY, Dimensions.REGION));
        }
        if (types.contains(PatternType.FEATURE_ADOPTION)) {
            countKeys.addAll(List.of(Dimensions.VERSION, Dimensions.ENVIRONMENT));
        }
        // The halves of the range too, for the features' adoption trend: the versions' shares in each.
        List<RollupReader.Over> countPlans = new ArrayList<>(List.of(new RollupReader.Over(plan, countKeys)));
        if (types.contains(PatternType.FEATURE_ADOPTION)) {
            plan.halves().forEach(half -> countPlans.add(new RollupReader.Over(half,
                    List.of(Groupings.WHOLE, Dimensions.VERSION))));
        }
        Uni<List<Map<String, Map<String, Aggregate>>>> countsByPlan = rollups.byGroups(workflow,
                MetricType.EXECUTION_COUNT, countPlans).memoize().indefinitely();
        Groups counts = Groups.of(countsByPlan, 0);
        Groups times = new Groups(rollups.byGroups(workflow, MetricType.EXECUTION_TIME,
                types.contains(PatternType.USER_BEHAVIOR) && segmentation
                        ? List.of(Groupings.WHOLE, Dimensions.USER_ID) : List.of(Groupings.WHOLE), plan)
                .memoize().indefinitely());
        // Users with executions in the range: the per-user breakdown's size where it is read anyway.
        Uni<Long> activeUsers = countKeys.contains(Dimensions.USER_ID)
                ? counts.by(Dimensions.USER_ID).map(users -> (long) users.size())
                : rollups.distinct(workflow, MetricType.EXECUTION_COUNT, Dimensions.USER_ID, plan);
        // Executions per UTC day: the days of the week, and the weeks and months, are sums of them (one statement
        // where a profile and two series had been three over the same day rows).
        Uni<List<RollupReader.Point>> days = rollups.series(workflow, MetricType.EXECUTION_COUNT, Groupings.WHOLE,
                "", range, Granularity.DAY).memoize().indefinitely();
        // Every query of every section starts at once; each section waits for the base figures only where it
        // assembles its answer. Chained after the base, the sections' own queries (the slowest, users' hours of day,
        // itself after the per-user totals) had run in series with the base's (users per dimension), ~50 ms of the
        // view's 73 ms median over 90 days.
        Uni<Base> base = Uni.combine().all().unis(counts.whole(), times.whole(), activeUsers,
                        rollups.hourOfDaySums(workflow, MetricType.EXECUTION_COUNT, range),
                        days, usersByDimension)
                .with((count, time, users, hours, dayPoints, usersPerValue) -> new Base(executions(count),
                        time.mean(), users, executions(hours), weekdays(dayPoints), usersPerValue))
                .memoize().indefinitely();
        Uni<Optional<List<PatternData>>> temporal = types.contains(PatternType.TEMPORAL)
                || types.contains(PatternType.SEASONAL)
                ? temporal(plan, base, days, types).map(Optional::of) : none();
        Uni<Optional<Behaviour>> behaviour = types.contains(PatternType.USER_BEHAVIOR)
                ? behaviour(workflow, plan, base, counts, times, segmentation).map(Optional::of) : none();
        Uni<Optional<Geography>> geography = types.contains(PatternType.GEOGRAPHIC)
                ? geography(counts, base).map(Optional::of) : none();
        Uni<Optional<List<FeatureUsage>>> features = types.contains(PatternType.FEATURE_ADOPTION)
                ? features(base, counts, Groups.of(countsByPlan, 1), Groups.of(countsByPlan, 2)).map(Optional::of)
                : none();
        return Uni.combine().all().unis(base, temporal, behaviour, geography, features).with((b, t, u, g, f) -> {
            List<String> asked = new ArrayList<>();
            types.forEach(p -> asked.add(p.wire()));
            return new UsageView(workflow.toString(), range.start().toString(), range.end().toString(), asked,
                    overview(b, range), t.orElse(null), u.map(Behaviour::analysis).orElse(null),
                    g.map(Geography::countries).orElse(null), g.map(Geography::regions).orElse(null),
                    u.map(Behaviour::devices).orElse(null), f.orElse(null),
                    insights(b, t.flatMap(patterns -> patterns.stream()
                                    .filter(p -> PatternType.TEMPORAL.wire().equals(p.patternType())).findFirst())
                            .orElse(null), u.orElse(null), g.orElse(null), f.orElse(null)));
        });
    }

    /** One statement's breakdowns, shared by the sections that read them. */
    private record Groups(Uni<Map<String, Map<String, Aggregate>>> all) {

        /** The i-th plan's groups of a {@link RollupReader#byGroups(UUID, MetricType, List)} (none past its end). */
        static Groups of(Uni<List<Map<String, Map<String, Aggregate>>>> byPlan, int i) {
            return new Groups(byPlan.map(plans -> i < plans.size() ? plans.get(i) : Map.of()));
        }

        Uni<Map<String, Aggregate>> by(String dimKey) {
            return all.map(g -> g.getOrDefault(dimKey, Map.of()));
        }

        Uni<Aggregate> whole() {
            return by(Groupings.WHOLE).map(g -> g.getOrDefault("", Aggregate.EMPTY));
        }
    }

    /** A section of a pattern type not asked for. */
    private static <T> Uni<Optional<T>> none() {
        return Uni.createFrom().item(Optional.empty());
    }

    private static UsageOverview overview(Base b, TimeRange range) {
        int peakHour = UsagePatterns.busiest(toDoubles(b.hourly()));
        long[] dayExposure = UsagePatterns.weekdayExposure(range.start(), range.end());
        double[] perDay = new double[7];
        for (int d = 0; d < 7; d++) {
            perDay[d] = dayExposure[d] == 0 ? 0 : b.daily()[d] / (dayExposure[d] / 86400.0);
        }
        int busiestDay = UsagePatterns.busiest(perDay);
        return new UsageOverview(b.total(), b.activeUsers(), ratio(b.total(), b.activeUsers()), b.averageTime(),
                peakHour < 0 ? null : peakHour, busiestDay < 0 ? null : UsagePatterns.dayName(busiestDay));
    }

    private static Uni<List<PatternData>> temporal(RangePlan plan, Uni<Base> base,
                                                   Uni<List<RollupReader.Point>> days, Set<PatternType> types) {
        TimeRange range = plan.range();
        boolean temporal = types.contains(PatternType.TEMPORAL);
        boolean seasonal = types.contains(PatternType.SEASONAL);
        return Uni.combine().all().unis(days, base).with((dayPoints, b) -> {
            List<RollupReader.Point> weekPoints = seasonal ? RollupReader.regroup(dayPoints, Granularity.WEEK)
                    : List.of();
            List<RollupReader.Point> monthPoints = seasonal ? RollupReader.regroup(dayPoints, Granularity.MONTH)
                    : List.of();
            long[] exposure = UsagePatterns.hourExposure(range.start(), range.end());
            List<LocalDate> weekStarts = seasonal ? UsagePatterns.weekStarts(range.start(), range.end()) : List.of();
            List<LocalDate> monthStarts = seasonal ? UsagePatterns.monthStarts(range.start(), range.end()) : List.of();
            List<String> monthNames = new ArrayList<>();
            monthStarts.forEach(m -> monthNames.add(m.toString().substring(0, 7)));
            List<String> weekNames = new ArrayList<>();
            weekStarts.forEach(w -> weekNames.add(w.toString()));
            List<PeakWindow> peaks = temporal ? UsagePatterns.peakWindows(b.hourly(), exposure) : List.of();
            long seconds = 0;
            for (long s : exposure) {
                seconds += s;
            }
            double load = UsagePatterns.load(b.total(), seconds);
            List<PatternData> out = new ArrayList<>(2);
            if (temporal) {
                out.add(new PatternData(PatternType.TEMPORAL.wire(), list(b.hourly()), list(b.daily()), List.of(),
                        List.of(), List.of(), List.of(), load, peaks));
            }
            if (seasonal) {
                out.add(new PatternData(PatternType.SEASONAL.wire(), List.of(), List.of(), onto(weekStarts, weekPoints),
                        weekNames, onto(monthStarts, monthPoints), monthNames, load, List.of()));
            }
            return out;
        });
    }

    /** Series points placed on every bucket the range touches, zero where there were no executions. */
    private static List<Long> onto(List<LocalDate> buckets, List<RollupReader.Point> points) {
        Map<Instant, Long> byStart = new HashMap<>();
        points.forEach(p -> byStart.put(p.bucket(), executions(p.aggregate())));
        List<Long> out = new ArrayList<>(buckets.size());
        for (LocalDate d : buckets) {
            out.add(byStart.getOrDefault(d.atStartOfDay(ZoneOffset.UTC).toInstant(), 0L));
        }
        return out;
    }

    private Uni<Behaviour> behaviour(UUID workflow, RangePlan plan, Uni<Base> base, Groups counts, Groups timeGroups,
                                     boolean segmentation) {
        TimeRange range = plan.range();
        double days = UsagePatterns.rangeDays(range.start(), range.end());
        Uni<Map<String, Aggregate>> times = segmentation ? timeGroups.by(Dimensions.USER_ID)
                : Uni.createFrom().item(Map.of());
        Uni<Map<String, String>> catalog = segmentation ? nodes.types(workflow) : Uni.createFrom().item(Map.of());
        Uni<List<Map.Entry<String, Long>>> rankedUsers = counts.by(Dimensions.USER_ID).map(UsageService::ranked)
                .memoize().indefinitely();
        Uni<Map<String, long[]>> userHours = segmentation ? outcomes.hoursOfUsers(workflow, range)
                : Uni.createFrom().item(Map.of());
        return Uni.combine().all().unis(rankedUsers, counts.by(Dimensions.DEVICE_TYPE),
                        times, catalog, userHours, base)
                .with((ranked, deviceCounts, userTimes, nodeTypes, hours, b) -> {
                    List<DeviceUsageData> devices = new ArrayList<>();
                    for (Map.Entry<String, Long> e : ranked(deviceCounts)) {
                        devices.add(new DeviceUsageData(e.getKey(), e.getValue(), percentage(e.getValue(), b.total()),
                                b.users().getOrDefault(Dimensions.DEVICE_TYPE + "|" + e.getKey(), 0L)));
                    }
                    double topFifth = topFifthShare(ranked, b.total());
                    if (!segmentation) {
                        return new Behaviour(analysis(b, days, List.of(), List.of()), devices, topFifth);
                    }
                    int complexity = nodeTypes.size();
                    List<UserUsageData> top = new ArrayList<>();
                    for (Map.Entry<String, Long> e : topUsers(ranked)) {
                        double perDay = e.getValue() / days;
                        long[] byHour = hours.get(e.getKey());
                        top.add(new UserUsageData(e.getKey(), UsagePatterns.segment(perDay).wire(),
                                e.getValue(), perDay, userTimes.getOrDefault(e.getKey(), Aggregate.EMPTY).mean(),
                                byHour == null ? List.of() : UsagePatterns.preferredSlots(byHour), complexity));
                    }
                    return new Behaviour(analysis(b, days, segments(ranked, days, b), top), devices, topFifth);
                });
    }

    private static List<Map.Entry<String, Long>> topUsers(List<Map.Entry<String, Long>> ranked) {
        return ranked.subList(0, Math.min(TOP_USERS, ranked.size()));
    }

    private static UserBehaviorAnalysis analysis(Base b, double days, List<UserSegment> segments,
                                                 List<UserUsageData> users) {
        return new UserBehaviorAnalysis(b.activeUsers(), days, UsagePatterns.POWER_USER_PER_DAY,
                UsagePatterns.REGULAR_USER_PER_DAY, segments, users);
    }

    /** The three segments, always all three (zeros when empty), power users first. */
    private static List<UserSegment> segments(List<Map.Entry<String, Long>> users, double days, Base b) {
        Map<UserType, long[]> totals = new EnumMap<>(UserType.class);
        for (UserType type : UserType.values()) {
            totals.put(type, new long[2]);
        }
        for (Map.Entry<String, Long> e : users) {
            long[] t = totals.get(UsagePatterns.segment(e.getValue() / days));
            t[0]++;
            t[1] += e.getValue();
        }
        List<UserSegment> out = new ArrayList<>();
        totals.forEach((type, t) -> out.add(new UserSegment(type.wire(), t[0], t[1], ratio(t[0], users.size()),
                ratio(t[1], b.total()))));
        return out;
    }

    /** Share of executions run by the busiest fifth of the users (rounded up), 0 below the minimum of users. */
    private static double topFifthShare(List<Map.Entry<String, Long>> ranked, long total) {
        if (ranked.size() < CONCENTRATION_MIN_USERS) {
            return 0;
        }
        int n = (ranked.size() + 4) / 5;
        long top = 0;
        for (int i = 0; i < n; i++) {
            top += ranked.get(i).getValue();
        }
        return ratio(top, total);
    }

    private Uni<Geography> geography(Groups counts, Uni<Base> base) {
        return Uni.combine().all().unis(counts.by(Dimensions.COUNTRY), counts.by(Dimensions.REGION), base)
                .with((countries, regions, b) -> {
                    List<GeographicUsage> c = new ArrayList<>();
                    for (Map.Entry<String, Long> e : ranked(countries)) {
                        c.add(new GeographicUsage(e.getKey(), e.getValue(), percentage(e.getValue(), b.total())));
                    }
                    List<RegionUsage> r = new ArrayList<>();
                    for (Map.Entry<String, Long> e : ranked(regions)) {
                        r.add(new RegionUsage(e.getKey(), e.getValue(), percentage(e.getValue(), b.total()),
                                b.users().getOrDefault(Dimensions.REGION + "|" + e.getKey(), 0L)));
                    }
                    return new Geography(c, r);
                });
    }

    /** @param firstHalf the counts of the range's first half ({@link RangePlan#halves}), empty when it has none */
    private Uni<List<FeatureUsage>> features(Uni<Base> base, Groups counts, Groups firstHalf, Groups secondHalf) {
        return Uni.combine().all().unis(counts.by(Dimensions.VERSION), counts.by(Dimensions.ENVIRONMENT),
                        firstHalf.by(Dimensions.VERSION), secondHalf.by(Dimensions.VERSION), firstHalf.whole(),
                        secondHalf.whole(), base)
                .with((versions, environments, firstVersions, secondVersions, firstWhole, secondWhole, b) -> {
                    long firstTotal = executions(firstWhole);
                    long secondTotal = executions(secondWhole);
                    boolean comparable = firstTotal > 0 && secondTotal > 0;
                    List<FeatureUsage> out = new ArrayList<>();
                    for (Map.Entry<String, Long> e : ranked(versions)) {
                        Double before = null;
                        Double after = null;
                        Double change = null;
                        if (comparable) {
                            before = ratio(executions(firstVersions.getOrDefault(e.getKey(), Aggregate.EMPTY)),
                                    firstTotal);
                            after = ratio(executions(secondVersions.getOrDefault(e.getKey(), Aggregate.EMPTY)),
                                    secondTotal);
                            change = after - before;
                        }
                        out.add(feature(Dimensions.VERSION, e, b, before, after, change));
                    }
                    for (Map.Entry<String, Long> e : ranked(environments)) {
                        out.add(feature(Dimensions.ENVIRONMENT, e, b, null, null, null));
                    }
                    return out;
                });
    }

    private static FeatureUsage feature(String dimension, Map.Entry<String, Long> e, Base b, Double before,
                                        Double after, Double change) {
        return new FeatureUsage(dimension + ":" + e.getKey(), dimension, e.getKey(), e.getValue(),
                ratio(e.getValue(), b.total()), b.users().getOrDefault(dimension + "|" + e.getKey(), 0L), before,
                after, change);
    }

    /** Observations the numbers support, each only when its threshold is met (docs/views/usage.md). */
    private static List<UsageInsight> insights(Base b, PatternData temporal, Behaviour behaviour, Geography geography,
                                       List<FeatureUsage> features) {
        List<UsageInsight> out = new ArrayList<>();
        if (b.total() == 0) {
            return out;
        }
        if (temporal != null && !temporal.peakUsageWindows().isEmpty()) {
            PeakWindow w = temporal.peakUsageWindows().get(0);
            out.add(new UsageInsight("peak_window", "Peak usage " + w.startTime() + "–" + w.endTime() + " UTC",
                    format("Between %s and %s UTC the workflow runs %.1f executions per hour, %.1f× its average "
                                    + "of %.1f.", w.startTime(), w.endTime(), w.averageLoad(),
                            w.averageLoad() / temporal.averageHourlyLoad(), temporal.averageHourlyLoad()),
                    w.averageLoad()));
        }
        if (behaviour != null) {
            behaviour.analysis().segments().stream()
                    .max(Comparator.comparingDouble(UserSegment::executionShare))
                    .filter(s -> s.executionShare() >= DOMINANT_SHARE)
                    .ifPresent(s -> out.add(new UsageInsight("dominant_segment",
                            label(s.segment()) + " run most executions",
                            format("%d %s (%.0f%% of active users) run %.0f%% of executions.", s.users(),
                                    label(s.segment()).toLowerCase(Locale.ROOT), s.userShare() * 100,
                                    s.executionShare() * 100), s.executionShare())));
            if (behaviour.topFifthShare() >= DOMINANT_SHARE) {
                out.add(new UsageInsight("user_concentration", "Usage is concentrated",
                        format("The busiest fifth of the %d active users run %.0f%% of executions.",
                                b.activeUsers(), behaviour.topFifthShare() * 100), behaviour.topFifthShare()));
            }
        }
        if (geography != null && !geography.countries().isEmpty()
                && geography.countries().get(0).percentage() >= DOMINANT_SHARE * 100) {
            GeographicUsage c = geography.countries().get(0);
            out.add(new UsageInsight("dominant_country", "Most executions come from " + c.country(),
                    format("%.0f%% of executions come from %s.", c.percentage(), c.country()), c.percentage()));
        }
        if (features != null) {
            features.stream().filter(f -> f.shareChange() != null && f.shareChange() >= GROWTH_SHARE)
                    .max(Comparator.comparingDouble(FeatureUsage::shareChange))
                    .ifPresent(f -> out.add(new UsageInsight("fastest_growing_version",
                            "Version " + f.value() + " is being adopted",
                            format("Version %s went from %.0f%% of executions in the first half of the range to "
                                    + "%.0f%% in the second.", f.value(), f.firstHalfShare() * 100,
                                    f.secondHalfShare() * 100), f.shareChange())));
        }
        return out;
    }

    private static String label(String segment) {
        return switch (segment) {
            case "power_user" -> "Power users";
            case "regular_user" -> "Regular users";
            default -> "Occasional users";
        };
    }

    /** Groups by executions, most first, then by name. */
    private static List<Map.Entry<String, Long>> ranked(Map<String, Aggregate> groups) {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        groups.forEach((k, a) -> out.add(Map.entry(k, executions(a))));
        out.sort(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.<String, Long>comparingByKey()));
        return out;
    }

    /** Executions are the sum of execution_count values (each 1), not the number of rollup rows. */
    private static long executions(Aggregate a) {
        return a.sum().longValue();
    }

    /** Executions per day of the week (0 = Monday) from a daily series. */
    private static long[] weekdays(List<RollupReader.Point> days) {
        long[] out = new long[7];
        for (RollupReader.Point p : days) {
            out[p.bucket().atZone(ZoneOffset.UTC).getDayOfWeek().getValue() - 1] += executions(p.aggregate());
        }
        return out;
    }

    private static long[] executions(BigDecimal[] sums) {
        long[] out = new long[sums.length];
        for (int i = 0; i < sums.length; i++) {
            out[i] = sums[i].longValue();
        }
        return out;
    }

    private static List<Long> list(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static double[] toDoubles(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static double percentage(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
