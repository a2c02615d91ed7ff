package io.workflowanalytics.query.dashboard;

import io.workflowanalytics.common.events.Alert;

import java.util.List;
import java.util.Map;

/** Page 01's answer (spec: Get Dashboard Overview); {@code alerts} are the workflow's open alerts, newest first. */
public record DashboardView(String workflowId, String start, String end, String granularity, Overview overview,
                           List<TrendData> trends, List<Insight> insights, List<Alert> alerts,
                           List<WorkflowSummary> topWorkflows) {

    /**
     * Headline figures of the range, and their deviation from the previous period of equal length: relative
     * change (0.1 = +10%) for counts, times and costs, and the difference in points for the success rate.
     */
    public record Overview(long totalExecutions, double successRate, double averageExecutionTime, double totalCost,
                           long activeUsers, Overview previous, Map<String, Double> change) {
    }

    /** A metric over time; direction compares the mean of the last third with the first third (±5%). */
    public record TrendData(String metric, String granularity, List<Point> points, String direction,
                            double changePercent) {
    }

    public record Point(String timestamp, double value, long count) {
    }

    public record Insight(String type, String severity, String title, String description, String metric,
                          double value) {
    }

    /** One of the caller's workflows, ranked by executions in the range. */
    public record WorkflowSummary(String workflowId, long executions, double successRate, double averageExecutionTime,
                                  double totalCost) {
    }
}
