package io.workflowanalytics.reports.reports;

import io.workflowanalytics.common.events.WireEnum;

/** What analytics_reports.status holds: the table's default (draft), then the spec's generation states. */
public enum ReportState implements WireEnum {
    DRAFT, SCHEDULED, GENERATING, COMPLETED, FAILED
}
