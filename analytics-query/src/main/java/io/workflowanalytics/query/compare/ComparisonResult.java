package io.workflowanalytics.query.compare;

import io.workflowanalytics.query.compare.stats.TestResult;

import java.util.List;

/** Answer of POST /api/workflows/{id}/analytics/compare (spec: Create Comparison). */
public record ComparisonResult(String comparisonId, String comparisonType, String workflowId,
                               ComparisonResults results, StatisticalSignificance significance,
                               List<ComparisonRecommendation> recommendations) {

    public record ComparisonResults(Side baseline, Side target, List<MetricComparison> metrics) {
    }

    /** What was compared on one side. */
    public record Side(String label, String version, String environment, String start, String end) {
    }

    /** One metric: both distributions, the difference and the test that judges it. */
    public record MetricComparison(String metric, Distribution baseline, Distribution target, double difference,
                                   double differencePercent, TestResult test, String verdict, boolean higherIsBetter) {
    }

    /**
     * A side's distribution of the metric: for durations and costs count/mean/sd/percentiles; for rates the
     * trials (count), successes and the rate (as mean).
     */
    public record Distribution(long count, double mean, double standardDeviation, double min, double max, double p50,
                               double p95, double p99, Long successes) {
    }

    /** Overall verdict: a regression in any metric outweighs improvements elsewhere. */
    public record StatisticalSignificance(String overallVerdict, double alpha, double confidenceLevel,
                                          int significantMetrics, List<String> warnings) {
    }

    public record ComparisonRecommendation(String type, String priority, String description) {
    }
}
