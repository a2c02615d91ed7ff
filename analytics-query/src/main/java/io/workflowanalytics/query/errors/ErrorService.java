package io.workflowanalytics.query.errors;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.ErrorType;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.query.errors.ErrorRepository.Episodes;
import io.workflowanalytics.query.errors.ErrorRepository.Failure;
import io.workflowanalytics.query.errors.ErrorView.ContributingFactor;
import io.workflowanalytics.query.errors.ErrorView.CriticalError;
import io.workflowanalytics.query.errors.ErrorView.ErrorCategory;
import io.workflowanalytics.query.errors.ErrorView.ErrorExample;
import io.workflowanalytics.query.errors.ErrorView.ErrorSummary;
import io.workflowanalytics.query.errors.ErrorView.ErrorTrend;
import io.workflowanalytics.query.errors.ErrorView.ErrorTrendData;
import io.workflowanalytics.query.errors.ErrorView.EstimatedImpact;
import io.workflowanalytics.query.errors.ErrorView.ResolutionMethod;
import io.workflowanalytics.query.errors.ErrorView.ResolutionMetrics;
import io.workflowanalytics.query.errors.ErrorView.RootCause;
import io.workflowanalytics.query.errors.ErrorView.TrendPoint;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Granularity;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import io.workflowanalytics.query.rollup.RollupReader.Point;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Error analysis: counts, rates and trends from the error_rate rollups (workflow level, by error type, by node and
 * error type, by context dimension); examples, the latest serious failures and failure episodes from single
 * executions (ErrorRepository). Every rule and threshold is documented in docs/views/errors.md.
 */
@ApplicationScoped
public class ErrorService {

    /** A category's severity rises one level from this share of executions failing with it, two from the next. */
    static final double RAISE_ONE_SHARE = 0.02;
    static final double RAISE_TWO_SHARE = 0.10;
    static final int EXAMPLES_PER_TYPE = 3;
    static final int RECENT_CRITICAL_LIMIT = 20;
    static final int ROOT_CAUSES = 3;
    /** A dimension value contributes when its error rate is at least this many times the overall one … */
    static final double FACTOR_RATIO = 1.5;
    /** … over at least this many executions (fewer are noise). */
    static final long FACTOR_MIN_EXECUTIONS = 30;
    /** A trend is increasing or decreasing when the second half differs from the first by more than this. */
    static final double TREND_MARGIN = 0.10;
    static final List<String> FACTOR_DIMENSIONS = List.of(Dimensions.VERSION, Dimensions.ENVIRONMENT,
            Dimensions.REGION, Dimensions.DEVICE_TYPE, Dimensions.USER_TYPE);

    /** What the rollups and execution outcomes say before anything depends on the error types found. */
    private record Base(Aggregate whole, Aggregate previous, Map<String, Aggregate> byType,
                        Map<String, Aggregate> byNodeAndType, List<Point> series, Map<String, List<Point>> typeSeries,
                        Map<String, List<Failure>> newestFailures, Episodes episodes, RootInputs roots) {
    }

    /** Inputs of the root-cause analysis alone. */
    private record RootInputs(Map<String, Aggregate> byNode, Aggregate cost, List<ContributingFactor> factors) {
        static final RootInputs NONE = new RootInputs(Map.of(), Aggregate.EMPTY, List.of());
    }

    private final RollupReader rollups;
    private final ErrorRepository outcomes;

    public ErrorService(RollupReader rollups, ErrorRepository outcomes) {
        this.rollups = rollups;
        this.outcomes = outcomes;
    }

    /**
     * Every error_rate breakdown in one statement and every category's series in another: one round trip per
     * breakdown and per category had made ~20 statements of a view, 8 now.
     *
     * @param severities categories and recent critical errors to keep (empty: all)
     */
    public Uni<ErrorView> analyse(UUID workflow, TimeRange range, Set<ErrorSeverity> severities,
                                  boolean withRootCause) {
        RangePlan plan = RangePlan.of(range);
        Granularity width = plan.range().duration().compareTo(Duration.ofDays(2)) > 0 ? Granularity.DAY
                : Granularity.HOUR;
        List<String> groupings = new ArrayList<>(List.of(Groupings.WHOLE, Dimensions.ERROR_TYPE,
                Groupings.NODE_AND_ERROR));
        if (withRootCause) {
            groupings.add(Dimensions.NODE_ID);
            groupings.addAll(FACTOR_DIMENSIONS);
        }
        Uni<Aggregate> cost = withRootCause ? rollups.whole(workflow, MetricType.COST, plan, false)
                : Uni.createFrom().item(Aggregate.EMPTY);
        // The range's breakdowns and the previous period's total in one statement.
        Uni<Base> base = Uni.combine().all().unis(
                        rollups.byGroups(workflow, MetricType.ERROR_RATE, List.of(
                                new RollupReader.Over(plan, groupings),
                                new RollupReader.Over(RangePlan.of(plan.range().previous()),
                                        List.of(Groupings.WHOLE)))),
                        rollups.series(workflow, MetricType.ERROR_RATE, Groupings.WHOLE, "", plan.range(), width),
                        rollups.seriesByValue(workflow, MetricType.ERROR_RATE, Dimensions.ERROR_TYPE, plan.range(),
                                width),
                        outcomes.newestFailures(workflow, plan.start(), plan.end(),
                                Math.max(EXAMPLES_PER_TYPE, RECENT_CRITICAL_LIMIT)),
                        outcomes.episodes(workflow, plan.start(), plan.end()),
                        cost)
                .with((periods, series, typeSeries, failures, episodes, costs) -> {
                    Map<String, Map<String, Aggregate>> groups = periods.get(0);
                    Aggregate whole = groups.get(Groupings.WHOLE).getOrDefault("", Aggregate.EMPTY);
                    Aggregate previous = periods.get(1).get(Groupings.WHOLE).getOrDefault("", Aggregate.EMPTY);
                    RootInputs roots = withRootCause ? new RootInputs(groups.get(Dimensions.NODE_ID), costs,
                            factors(whole, FACTOR_DIMENSIONS.stream().map(groups::get).toList())) : RootInputs.NONE;
                    return new Base(whole, previous, groups.get(Dimensions.ERROR_TYPE),
                            groups.get(Groupings.NODE_AND_ERROR), series, typeSeries, failures, episodes, roots);
                });
        return base.map(b -> {
            long executions = b.whole().count();
            List<String> types = typesByCount(b.byType());
            Map<String, ErrorSeverity> severity = new LinkedHashMap<>();
            types.forEach(t -> severity.put(t, severity(t, count(b.byType().get(t)), executions)));
            List<Instant> buckets = buckets(plan, width);
            ErrorSummary summary = summary(b, types);
            List<ErrorCategory> categories = new ArrayList<>();
            for (String type : types) {
                if (!severities.isEmpty() && !severities.contains(severity.get(type))) {
                    continue;
                }
                long count = count(b.byType().get(type));
                categories.add(new ErrorCategory(type, count, 100 * ratio(count, summary.totalErrors()),
                        severity.get(type).wire(), examples(b.newestFailures().getOrDefault(type, List.of())),
                        List.copyOf(nodesWith(type, b.byNodeAndType()).keySet()),
                        trend(width, buckets, b.typeSeries().getOrDefault(type, List.of()))));
            }
            List<RootCause> causes = withRootCause ? rootCauses(types, b, b.roots()) : List.of();
            List<CriticalError> recent = b.newestFailures().values().stream().flatMap(List::stream)
                    .filter(f -> {
                        ErrorSeverity s = severity.get(f.errorType());
                        return s != null && s.compareTo(ErrorSeverity.HIGH) >= 0
                                && (severities.isEmpty() || severities.contains(s));
                    })
                    .sorted(Failure.NEWEST_FIRST).limit(RECENT_CRITICAL_LIMIT)
                    .map(f -> new CriticalError(f.executionId(), f.timestamp(), f.errorType(), f.errorMessage(),
                            f.nodeId(), severity.get(f.errorType()).wire()))
                    .toList();
            return new ErrorView(workflow.toString(), plan.start().toString(), plan.end().toString(), summary,
                    categories, errorTrends(buckets, b.series()), causes, resolution(b.episodes()), recent);
        });
    }

    /** A category's examples: the newest of its failures. */
    private static List<ErrorExample> examples(List<Failure> newest) {
        return newest.stream().limit(EXAMPLES_PER_TYPE).map(f -> new ErrorExample(f.executionId(), f.timestamp(),
                f.errorMessage(), f.nodeId(), f.version(), f.environment())).toList();
    }

    /**
     * Severity of an error type: a base by kind (systemic failures that persist until someone acts are high,
     * failures of a dependency medium, bad input low), raised one level when at least 2% of executions fail with
     * it and two levels from 10%.
     */
    static ErrorSeverity severity(String type, long count, long executions) {
        ErrorSeverity base = switch (type) {
            case "authentication_error", "resource_exhaustion", "configuration_error" -> ErrorSeverity.HIGH;
            case "validation_error", "data_processing_error" -> ErrorSeverity.LOW;
            default -> ErrorSeverity.MEDIUM; // api_timeout, network_error, external_service_error, unknown
        };
        double share = ratio(count, executions);
        return base.raise(share >= RAISE_TWO_SHARE ? 2 : share >= RAISE_ONE_SHARE ? 1 : 0);
    }

    private static ErrorSummary summary(Base b, List<String> types) {
        long executions = b.whole().count();
        long errors = count(b.whole());
        double rate = ratio(errors, executions);
        double previous = ratio(count(b.previous()), b.previous().count());
        Set<String> nodes = new TreeSet<>();
        b.byNodeAndType().forEach((key, a) -> {
            if (count(a) > 0) {
                nodes.add(key.substring(0, key.lastIndexOf('|')));
            }
        });
        return new ErrorSummary(executions, errors, rate, previous, rate - previous,
                types.isEmpty() ? null : types.get(0), nodes.size());
    }

    /** Error types with at least one failure, most frequent first (ties by name). */
    private static List<String> typesByCount(Map<String, Aggregate> byType) {
        return byType.entrySet().stream().filter(e -> count(e.getValue()) > 0)
                .sorted(Comparator.comparingLong((Map.Entry<String, Aggregate> e) -> count(e.getValue())).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).toList();
    }

    /** Node id to its failures with this error type. */
    private static Map<String, Long> nodesWith(String type, Map<String, Aggregate> byNodeAndType) {
        Map<String, Long> out = new TreeMap<>();
        byNodeAndType.forEach((key, a) -> {
            int bar = key.lastIndexOf('|');
            if (key.substring(bar + 1).equals(type) && count(a) > 0) {
                out.put(key.substring(0, bar), count(a));
            }
        });
        return out;
    }

    /** Every bucket start of the range at this width, the first one holding the range's start. */
    private static List<Instant> buckets(RangePlan plan, Granularity width) {
        ChronoUnit unit = width == Granularity.DAY ? ChronoUnit.DAYS : ChronoUnit.HOURS;
        List<Instant> out = new ArrayList<>();
        for (Instant b = plan.start().truncatedTo(unit); b.isBefore(plan.end()); b = b.plus(1, unit)) {
            out.add(b);
        }
        return out;
    }

    private static Map<Instant, Aggregate> byBucket(List<Point> series) {
        Map<Instant, Aggregate> out = new HashMap<>();
        series.forEach(p -> out.put(p.bucket(), p.aggregate()));
        return out;
    }

    private static List<ErrorTrend> errorTrends(List<Instant> buckets, List<Point> series) {
        Map<Instant, Aggregate> at = byBucket(series);
        List<ErrorTrend> out = new ArrayList<>(buckets.size());
        for (Instant b : buckets) {
            Aggregate a = at.getOrDefault(b, Aggregate.EMPTY);
            out.add(new ErrorTrend(b.toString(), count(a), a.count(), ratio(count(a), a.count())));
        }
        return out;
    }

    /** The category's series, and its direction from the first half of the buckets to the second (middle left out). */
    static ErrorTrendData trend(Granularity width, List<Instant> buckets, List<Point> series) {
        Map<Instant, Aggregate> at = byBucket(series);
        List<TrendPoint> points = new ArrayList<>(buckets.size());
        long[] counts = new long[buckets.size()];
        for (int i = 0; i < buckets.size(); i++) {
            counts[i] = count(at.getOrDefault(buckets.get(i), Aggregate.EMPTY));
            points.add(new TrendPoint(buckets.get(i).toString(), counts[i]));
        }
        int half = counts.length / 2;
        long first = 0;
        long second = 0;
        for (int i = 0; i < half; i++) {
            first += counts[i];
            second += counts[counts.length - 1 - i];
        }
        String direction = second > first * (1 + TREND_MARGIN) ? "increasing"
                : second < first * (1 - TREND_MARGIN) ? "decreasing" : "stable";
        double change = first == 0 ? (second > 0 ? 100 : 0) : (second - first) * 100.0 / first;
        return new ErrorTrendData(width.wire(), points, direction, change);
    }

    /** Dimension values whose error rate is at least FACTOR_RATIO times the workflow's, over enough executions. */
    private static List<ContributingFactor> factors(Aggregate whole, List<Map<String, Aggregate>> byDimension) {
        double overall = ratio(count(whole), whole.count());
        List<ContributingFactor> out = new ArrayList<>();
        if (overall == 0) {
            return out;
        }
        for (int i = 0; i < FACTOR_DIMENSIONS.size(); i++) {
            String dimension = FACTOR_DIMENSIONS.get(i);
            byDimension.get(i).forEach((value, a) -> {
                double rate = ratio(count(a), a.count());
                if (a.count() >= FACTOR_MIN_EXECUTIONS && rate >= FACTOR_RATIO * overall) {
                    out.add(new ContributingFactor(dimension, value, a.count(), count(a), rate, rate / overall));
                }
            });
        }
        out.sort(Comparator.comparingDouble(ContributingFactor::ratio).reversed()
                .thenComparing(ContributingFactor::dimension).thenComparing(ContributingFactor::value));
        return out;
    }

    private static List<RootCause> rootCauses(List<String> types, Base b, RootInputs in) {
        long executions = b.whole().count();
        long errors = count(b.whole());
        double costPerExecution = executions == 0 ? 0 : in.cost().total() / executions;
        List<String> factorTexts = in.factors().stream().map(f -> String.format(Locale.ROOT,
                "%s %s: error rate %.1f%% over %d executions, %.1f× the workflow's", f.dimension(), f.value(),
                f.errorRate() * 100, f.executions(), f.ratio())).toList();
        List<RootCause> out = new ArrayList<>();
        for (String type : types.subList(0, Math.min(ROOT_CAUSES, types.size()))) {
            long count = count(b.byType().get(type));
            Map<String, Long> nodes = nodesWith(type, b.byNodeAndType());
            List<String> components = nodes.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                    .map(Map.Entry::getKey).toList();
            String primary = components.isEmpty() ? null : components.get(0);
            double reduction = 0;
            if (primary != null) {
                Aggregate node = in.byNode().getOrDefault(primary, Aggregate.EMPTY);
                reduction = Math.max(0, nodes.get(primary) - medianNodeRate(type, nodes, in.byNode()) * node.count());
            }
            String description = String.format(Locale.ROOT, "%d %s failures (%.1f%% of all errors)", count, type,
                    ratio(count, errors) * 100)
                    + (primary == null ? "" : String.format(Locale.ROOT, "; node %s fails most with it (%d)",
                    primary, nodes.get(primary)));
            List<String> recommendations = new ArrayList<>(advice(type, primary));
            in.factors().stream().limit(2).forEach(f -> recommendations.add(String.format(Locale.ROOT,
                    "Look into %s %s: its error rate is %.1f× the workflow's", f.dimension(), f.value(), f.ratio())));
            out.add(new RootCause(type, primary, description, components, factorTexts, in.factors(),
                    recommendations, new EstimatedImpact(reduction, ratio(reduction, executions),
                    reduction * costPerExecution)));
        }
        return out;
    }

    /** The median over all nodes of (failures with this type / node executions). */
    static double medianNodeRate(String type, Map<String, Long> failures, Map<String, Aggregate> byNode) {
        double[] rates = byNode.entrySet().stream()
                .mapToDouble(e -> ratio(failures.getOrDefault(e.getKey(), 0L), e.getValue().count()))
                .sorted().toArray();
        if (rates.length == 0) {
            return 0;
        }
        int mid = rates.length / 2;
        return rates.length % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
    }

    private static List<String> advice(String type, String node) {
        String at = node == null ? "the failing node" : "node " + node;
        ErrorType known = null;
        for (ErrorType t : ErrorType.values()) {
            if (t.wire().equals(type)) {
                known = t;
            }
        }
        if (known == null) {
            return List.of("Inspect the error messages of " + at);
        }
        return switch (known) {
            case API_TIMEOUT -> List.of("Raise the timeout of the call at " + at + " or make it asynchronous",
                    "Retry with exponential backoff behind a circuit breaker");
            case NETWORK_ERROR -> List.of("Retry transient network failures at " + at + " with backoff",
                    "Check connectivity and DNS between " + at + " and the service it calls");
            case VALIDATION_ERROR -> List.of("Validate input where it enters the workflow and reject it early",
                    "Log the fields that fail at " + at + " so that their producers can be fixed");
            case AUTHENTICATION_ERROR -> List.of("Refresh or rotate the credentials of " + at + " before they expire",
                    "Alert on the first authentication failure instead of retrying");
            case DATA_PROCESSING_ERROR -> List.of("Handle unexpected data shapes at " + at,
                    "Add tests with the inputs that failed");
            case RESOURCE_EXHAUSTION -> List.of("Give " + at + " more memory or CPU, or limit its concurrency",
                    "Process data in smaller batches");
            case CONFIGURATION_ERROR -> List.of("Compare the configuration of " + at + " across environments",
                    "Validate configuration at deployment");
            case EXTERNAL_SERVICE_ERROR -> List.of("Add a fallback for the external service called at " + at,
                    "Watch the service's status and retry with backoff");
        };
    }

    static ResolutionMetrics resolution(Episodes e) {
        long unresolved = e.total() - e.resolved();
        double average = e.resolved() == 0 ? 0
                : e.resolutionMsSum().divide(BigDecimal.valueOf(e.resolved()), MathContext.DECIMAL64).doubleValue();
        double automatic = ratio(e.resolved(), e.total());
        List<ResolutionMethod> methods = new ArrayList<>();
        if (e.resolved() > 0) {
            methods.add(new ResolutionMethod("automatic_retry_success", e.resolved(), 100 * automatic, average));
        }
        if (unresolved > 0) {
            methods.add(new ResolutionMethod("unresolved", unresolved, 100 * ratio(unresolved, e.total()), 0));
        }
        return new ResolutionMetrics(average, automatic, e.total() == 0 ? 0 : 1 - automatic,
                ratio(e.escalated(), e.total()), methods, e.total(), e.resolved(), unresolved);
    }

    /** Failures in an error_rate aggregate: the sum of its 0/1 values. */
    private static long count(Aggregate a) {
        return a == null ? 0 : a.sum().longValue();
    }

    private static double ratio(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }
}
