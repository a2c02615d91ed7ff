package io.workflowanalytics.realtime.live;

import io.workflowanalytics.common.events.Alert;
import io.workflowanalytics.common.events.SystemHealth;

import java.util.List;

/** GET /api/workflows/{id}/analytics/realtime (spec: "Get Real-time Status"). */
public record RealtimeStatus(
        String workflowId,
        RealTimeMetrics currentMetrics,
        SystemHealth systemHealth,
        List<ActiveExecution> activeExecutions,
        List<MonitoringEvent> recentEvents,
        List<Alert> alerts) {
}
