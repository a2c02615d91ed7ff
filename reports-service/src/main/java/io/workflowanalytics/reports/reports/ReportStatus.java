package io.workflowanalytics.reports.reports;

import java.time.Instant;

/** Progress of a report (spec: GET /api/analytics/reports/:reportId/status). */
public record ReportStatus(
        String status,
        int progress,
        Instant estimatedCompletion,
        String downloadUrl,
        String error) {
}
