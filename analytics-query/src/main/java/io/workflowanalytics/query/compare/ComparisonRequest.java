package io.workflowanalytics.query.compare;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Body of POST /api/workflows/{id}/analytics/compare (spec: Create Comparison).
 *
 * @param comparisonType versions, environments, time_periods or ab_tests
 * @param baseline       the reference side
 * @param target         the side judged against it
 * @param metrics        execution_time, success_rate, error_rate, cost (default: all four)
 * @param timeRange      {@code "30d"} or {@code {"start": …, "end": …}}; the window both sides are read from
 *                       (time_periods compare the two sides' own windows instead)
 * @param confidenceLevel of the intervals and 1 − alpha of the tests; default 0.95
 */
public record ComparisonRequest(String comparisonType, ComparisonTarget baseline, ComparisonTarget target,
                                List<String> metrics, JsonNode timeRange, Double confidenceLevel) {

    /**
     * One side: a workflow version (versions; also an A/B test's arm, deployed as a version), an environment
     * (environments; or an A/B arm deployed as an environment), or a period (time_periods).
     */
    public record ComparisonTarget(String label, String version, String environment, String start, String end) {
    }
}
