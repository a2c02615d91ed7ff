package io.workflowanalytics.query.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.problem.Problem;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.common.time.TimeRanges;
import io.workflowanalytics.query.compare.ComparisonRequest.ComparisonTarget;
import io.workflowanalytics.query.compare.ComparisonResult.ComparisonRecommendation;
import io.workflowanalytics.query.compare.ComparisonResult.Distribution;
import io.workflowanalytics.query.compare.ComparisonResult.MetricComparison;
import io.workflowanalytics.query.compare.ComparisonResult.Side;
import io.workflowanalytics.query.compare.ComparisonResult.StatisticalSignificance;
import io.workflowanalytics.query.compare.stats.Bucket;
import io.workflowanalytics.query.compare.stats.ComparisonStatistics;
import io.workflowanalytics.query.compare.stats.Moments;
import io.workflowanalytics.query.compare.stats.TestResult;
import io.workflowanalytics.query.compare.stats.Verdict;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.Groupings;
import io.workflowanalytics.query.rollup.RangePlan;
import io.workflowanalytics.query.rollup.RollupReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Compares two versions, environments, periods or A/B arms of a workflow metric by metric, from the rollups: the
 * moments and sketch histograms feed Welch's t or Mann–Whitney U (durations) and the two-proportion z-test (rates).
 */
@ApplicationScoped
public class ComparisonService {

    static final Set<String> TYPES = Set.of("versions", "environments", "time_periods", "ab_tests");
    static final List<String> METRICS = List.of("execution_time", "success_rate", "error_rate");

    private final RollupReader rollups;
    private final Clock clock = Clock.systemUTC();

    public ComparisonService(RollupReader rollups) {
        this.rollups = rollups;
    }

    /** A side resolved to rollup rows: grouping, value and range. */
    record Selection(Side side, String dimKey, String dimValue, TimeRange range) {
    }

    public Uni<ComparisonResult> compare(UUID workflow, ComparisonRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required");
        }
        String type = request.comparisonType();
        if (type == null || !TYPES.contains(type)) {
            throw ProblemException.invalid("comparisonType", "must be one of versions, environments, time_periods, "
                    + "ab_tests");
        }
        List<String> metrics = metrics(request.metrics());
        double confidence = request.confidenceLevel() == null ? 0.95 : request.confidenceLevel();
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw ProblemException.invalid("confidenceLevel", "must be at least 0.5 and below 1");
        }
        TimeRange window = window(request.timeRange());
        Selection baseline = select(type, "baseline", request.baseline(), window);
        Selection target = select(type, "target", request.target(), window);
        List<Uni<MetricComparison>> comparisons = new ArrayList<>();
        for (String metric : metrics) {
            comparisons.add(compare(workflow, metric, baseline, target, confidence));
        }
        return Uni.join().all(comparisons).andFailFast().map(results -> {
            double alpha = 1 - confidence;
            return new ComparisonResult(UUID.randomUUID().toString(), type, workflow.toString(),
                    new ComparisonResult.ComparisonResults(baseline.side(), target.side(), results),
                    significance(results, alpha, confidence), recommendations(results, baseline.side(),
                    target.side()));
        });
    }

    private Uni<MetricComparison> compare(UUID workflow, String metric, Selection baseline, Selection target,
                                          double confidence) {
        MetricType type = MetricType.valueOf(metric.toUpperCase(Locale.ROOT));
        boolean durations = type == MetricType.EXECUTION_TIME;
        boolean higherIsBetter = type == MetricType.SUCCESS_RATE;
        return Uni.combine().all().unis(read(workflow, type, baseline, durations), read(workflow, type, target,
                durations)).with((b, t) -> {
            TestResult test = durations
                    ? ComparisonStatistics.compareDurations(moments(b), histogram(b), moments(t), histogram(t),
                    confidence)
                    : ComparisonStatistics.compareRates(successes(b), b.count(), successes(t), t.count(), confidence);
            Verdict verdict = Verdict.of(test, 1 - confidence, higherIsBetter);
            double difference = t.mean() - b.mean();
            return new MetricComparison(metric, distribution(b, durations), distribution(t, durations), difference,
                    b.mean() == 0 ? 0 : difference / Math.abs(b.mean()) * 100, test, verdict.wire(), higherIsBetter);
        });
    }

    private Uni<Aggregate> read(UUID workflow, MetricType type, Selection side, boolean sketch) {
        return rollups.byGroup(workflow, type, side.dimKey(), RangePlan.of(side.range()), sketch)
                .map(groups -> groups.getOrDefault(side.dimValue(), Aggregate.EMPTY));
    }

    private static Moments moments(Aggregate a) {
        return new Moments(a.count(), a.sum().doubleValue(), a.sumOfSquares());
    }

    private static List<Bucket> histogram(Aggregate a) {
        List<Bucket> out = new ArrayList<>();
        for (double[] b : a.sketch().buckets()) {
            out.add(new Bucket(b[0], (long) b[1]));
        }
        return out;
    }

    private static long successes(Aggregate a) {
        return Math.round(a.sum().doubleValue());
    }

    private static Distribution distribution(Aggregate a, boolean durations) {
        return new Distribution(a.count(), a.mean(), Math.sqrt(a.variance()), a.count() == 0 ? 0 : a.min(),
                a.count() == 0 ? 0 : a.max(), durations ? a.quantile(0.5) : 0, durations ? a.quantile(0.95) : 0,
                durations ? a.quantile(0.99) : 0, durations ? null : successes(a));
    }

    private static StatisticalSignificance significance(List<MetricComparison> results, double alpha,
                                                        double confidence) {
        Set<String> verdicts = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        int significant = 0;
        for (MetricComparison r : results) {
            verdicts.add(r.verdict());
            if (r.verdict().startsWith("significant")) {
                significant++;
            }
            r.test().warnings().forEach(w -> warnings.add(r.metric() + ": " + w));
        }
        String overall = verdicts.contains(Verdict.SIGNIFICANT_REGRESSION.wire()) ? Verdict.SIGNIFICANT_REGRESSION.wire()
                : verdicts.contains(Verdict.SIGNIFICANT_IMPROVEMENT.wire()) ? Verdict.SIGNIFICANT_IMPROVEMENT.wire()
                : verdicts.equals(Set.of(Verdict.INSUFFICIENT_DATA.wire())) ? Verdict.INSUFFICIENT_DATA.wire()
                : Verdict.NO_SIGNIFICANT_DIFFERENCE.wire();
        return new StatisticalSignificance(overall, alpha, confidence, significant, warnings);
    }

    private static List<ComparisonRecommendation> recommendations(List<MetricComparison> results, Side baseline,
                                                                  Side target) {
        List<ComparisonRecommendation> out = new ArrayList<>();
        for (MetricComparison r : results) {
            String name = label(target) + " vs " + label(baseline);
            String change = String.format(Locale.ROOT, "%s %+.2f%% (p = %.4g, %s effect)", r.metric(),
                    r.differencePercent(), r.test().pValue(), r.test().effectMagnitude());
            switch (Verdict.valueOf(r.verdict().toUpperCase(Locale.ROOT))) {
                case SIGNIFICANT_REGRESSION -> out.add(new ComparisonRecommendation("investigate_regression", "high",
                        name + ": " + change + "; hold the rollout and find the cause"));
                case SIGNIFICANT_IMPROVEMENT -> out.add(new ComparisonRecommendation("adopt", "medium",
                        name + ": " + change + "; the change is safe to roll out for this metric"));
                case INSUFFICIENT_DATA -> out.add(new ComparisonRecommendation("collect_more_data", "low",
                        name + ": too few observations of " + r.metric() + " (at least "
                                + Verdict.MIN_OBSERVATIONS_PER_SIDE + " per side) to conclude"));
                default -> { }
            }
        }
        return out;
    }

    private static String label(Side side) {
        if (side.label() != null) {
            return side.label();
        }
        if (side.version() != null) {
            return "version " + side.version();
        }
        if (side.environment() != null) {
            return side.environment();
        }
        return side.start() + "–" + side.end();
    }

    private static List<String> metrics(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return METRICS;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            if (!METRICS.contains(requested.get(i))) {
                errors.add(new Problem.FieldError("metrics", "must be one of " + String.join(", ", METRICS), i,
                        "unsupported_metric"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid request", "metrics: unsupported metric", errors);
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private TimeRange window(JsonNode timeRange) {
        if (timeRange == null || timeRange.isNull()) {
            return TimeRanges.resolve("30d", null, null, "30d", clock.instant());
        }
        if (timeRange.isTextual()) {
            return TimeRanges.resolve(timeRange.asText(), null, null, "30d", clock.instant());
        }
        if (timeRange.isObject()) {
            try {
                return TimeRanges.resolve(null, text(timeRange.get("start")), text(timeRange.get("end")), "30d",
                        clock.instant());
            } catch (ProblemException e) {
                throw ProblemException.invalid("timeRange." + e.errors().get(0).field(), e.errors().get(0).message());
            }
        }
        throw ProblemException.invalid("timeRange", "must be a window such as \"30d\" or {\"start\": …, \"end\": …}");
    }

    private Selection select(String type, String name, ComparisonTarget side, TimeRange window) {
        if (side == null) {
            throw ProblemException.invalid(name, "is required");
        }
        Side described = new Side(side.label(), side.version(), side.environment(), side.start(), side.end());
        switch (type) {
            case "versions":
                return new Selection(described, Dimensions.VERSION, required(name + ".version", side.version()),
                        window);
            case "environments":
                return new Selection(described, Dimensions.ENVIRONMENT,
                        required(name + ".environment", side.environment()), window);
            case "time_periods": {
                required(name + ".start", side.start());
                TimeRange period;
                try {
                    period = TimeRanges.resolve(null, side.start(), required(name + ".end", side.end()), "30d",
                            clock.instant());
                } catch (ProblemException e) {
                    throw ProblemException.invalid(name + "." + e.errors().get(0).field(),
                            e.errors().get(0).message());
                }
                return new Selection(described, Groupings.WHOLE, "", period);
            }
            default: {
                // An A/B arm is deployed as a version or as an environment: exactly one of them names it.
                boolean byVersion = side.version() != null && !side.version().isBlank();
                boolean byEnvironment = side.environment() != null && !side.environment().isBlank();
                if (byVersion == byEnvironment) {
                    throw ProblemException.invalid(name, "an A/B arm names exactly one of version or environment");
                }
                return byVersion ? new Selection(described, Dimensions.VERSION, side.version(), window)
                        : new Selection(described, Dimensions.ENVIRONMENT, side.environment(), window);
            }
        }
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "is required");
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
