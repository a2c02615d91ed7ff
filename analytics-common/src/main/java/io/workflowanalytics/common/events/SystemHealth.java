package io.workflowanalytics.common.events;

import java.time.Instant;
import java.util.List;

/** Health of the whole suite as a workflow's viewer sees it (spec: SystemHealth); mttr and mtbf in seconds. */
public record SystemHealth(
        OverallHealth overall,
        List<ComponentHealth> components,
        Double uptime,
        Instant lastIncident,
        Double mttr,
        Double mtbf) {
}
