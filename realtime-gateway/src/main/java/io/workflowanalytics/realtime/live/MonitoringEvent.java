package io.workflowanalytics.realtime.live;

import java.time.Instant;

/**
 * One line of a workflow's recent-events feed (spec: MonitoringEvent): executions finishing or failing, alert
 * transitions, anomalies and health changes, newest first; id is the stream event id.
 */
public record MonitoringEvent(String id, String type, Instant timestamp, String severity, String description) {
}
