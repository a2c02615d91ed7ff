package io.workflowanalytics.query.errors;

import java.util.List;

/**
 * The error page's answer (spec: GET /api/workflows/:id/analytics/errors) and its parts. Rates in 0..1,
 * percentages in 0..100 (as in every view), times in ms, instants ISO-8601 UTC; definitions in docs/views/errors.md.
 */
public record ErrorView(
        String workflowId,
        String start,
        String end,
        ErrorSummary errorSummary,
        List<ErrorCategory> errorCategories,
        List<ErrorTrend> errorTrends,
        List<RootCause> rootCauseAnalysis,
        ResolutionMetrics resolutionMetrics,
        List<CriticalError> recentCriticalErrors) {

    /**
     * Headline figures. The previous period is the equal-length range just before; {@code errorRateChange} is
     * errorRate − previousErrorRate (a difference of rates, not a relative change).
     */
    public record ErrorSummary(long totalExecutions, long totalErrors, double errorRate, double previousErrorRate,
                               double errorRateChange, String mostCommonErrorType, int affectedNodes) {
    }

    /** Spec ErrorCategory: one per error type that occurred; {@code percentage} of all errors (0..100). */
    public record ErrorCategory(String type, long count, double percentage, String severity,
                                List<ErrorExample> examples, List<String> impactedNodes, ErrorTrendData trends) {
    }

    /** One failed execution of the category, newest first. */
    public record ErrorExample(String executionId, String timestamp, String errorMessage, String nodeId,
                               String version, String environment) {
    }

    /**
     * Spec ErrorTrendData: the category's failures per bucket (every bucket of the range, zeros included) and the
     * direction from the first half of the buckets to the second.
     */
    public record ErrorTrendData(String granularity, List<TrendPoint> points, String direction,
                                 double changePercent) {
    }

    public record TrendPoint(String timestamp, long count) {
    }

    /** Spec ErrorTrend: one bucket (hour up to two days, else day) of the whole workflow. */
    public record ErrorTrend(String timestamp, long errors, long executions, double errorRate) {
    }

    /**
     * Spec RootCause for one of the top error categories; {@code category} is the error type, {@code nodeId} the
     * node failing most with it, {@code factors} the structured form of {@code contributingFactors}.
     */
    public record RootCause(String category, String nodeId, String description, List<String> affectedComponents,
                            List<String> contributingFactors, List<ContributingFactor> factors,
                            List<String> recommendations, EstimatedImpact estimatedImpact) {
    }

    /** A dimension value whose error rate stands out from the workflow's. */
    public record ContributingFactor(String dimension, String value, long executions, long errors,
                                     double errorRate, double ratio) {
    }

    /**
     * errorReduction: failures that would vanish (count); performanceImprovement: the rise in success rate it
     * means (0..1); costSavings: the cost of that many executions at the average cost per execution.
     */
    public record EstimatedImpact(double errorReduction, double performanceImprovement, double costSavings) {
    }

    /** Spec ResolutionMetrics over failure episodes (maximal runs of consecutive failed executions). */
    public record ResolutionMetrics(double averageTimeToResolution, double automaticRecoveryRate,
                                    double manualInterventionRate, double escalationRate,
                                    List<ResolutionMethod> resolutionMethods, long totalEpisodes,
                                    long resolvedEpisodes, long unresolvedEpisodes) {
    }

    /** How episodes ended ({@code automatic_retry_success}, {@code unresolved}); percentage of episodes, 0..100. */
    public record ResolutionMethod(String method, long count, double percentage, double averageTimeToResolution) {
    }

    public record CriticalError(String executionId, String timestamp, String errorType, String message,
                                String nodeId, String severity) {
    }
}
