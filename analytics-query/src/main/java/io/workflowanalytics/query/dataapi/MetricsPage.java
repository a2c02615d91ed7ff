package io.workflowanalytics.query.dataapi;

import java.util.List;

/** Answer of GET /api/v1/analytics/workflows/{id}/metrics (spec: Get Analytics Data via API). */
public record MetricsPage(List<MetricDataPoint> data, QueryMetadata metadata, PaginationInfo pagination) {

    /** One bucket of one metric of the whole workflow; {@code value} is the bucket's average. */
    public record MetricDataPoint(String timestamp, String metric, double value, long count, double sum, double min,
                                  double max, double p50, double p95, double p99) {
    }

    public record QueryMetadata(String workflowId, List<String> metrics, String startDate, String endDate,
                                String granularity, String source, long totalPoints, String generatedAt,
                                long queryTimeMs) {
    }

    /** Keyset pagination: pass {@code nextCursor} as {@code cursor} to read on; absent on the last page. */
    public record PaginationInfo(int limit, boolean hasMore, String nextCursor) {
    }
}
