package io.workflowanalytics.common.events;

import java.time.Instant;
import java.util.List;

/** An alert as the spec defines it (spec: Alert). */
public record Alert(
        String id,
        AlertType type,
        AlertSeverity severity,
        String title,
        String description,
        Instant timestamp,
        AlertStatus status,
        List<String> affectedComponents,
        List<String> recommendations,
        String estimatedImpact) {
}
