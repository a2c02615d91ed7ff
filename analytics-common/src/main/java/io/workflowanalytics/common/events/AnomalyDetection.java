package io.workflowanalytics.common.events;

import java.time.Instant;
import java.util.List;

/** A value that departed from what the model expected (spec: AnomalyDetection). */
public record AnomalyDetection(
        Instant timestamp,
        String metricType,
        Double actualValue,
        Double expectedValue,
        AnomalySeverity severity,
        Double confidence,
        List<String> possibleCauses) {
}
