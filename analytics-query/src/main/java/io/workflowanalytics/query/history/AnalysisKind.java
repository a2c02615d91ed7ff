package io.workflowanalytics.query.history;

import io.workflowanalytics.common.events.WireEnum;

/** The kinds of stored analysis the scheduled jobs write, with the table each lives in. */
public enum AnalysisKind implements WireEnum {
    PERFORMANCE("performance_analyses", "analysis_date"),
    USAGE("usage_patterns", "time_frame_end"),
    ERRORS("error_analyses", "analysis_date"),
    COSTS("cost_analyses", "analysis_date");

    final String table;
    final String dateColumn;

    AnalysisKind(String table, String dateColumn) {
        this.table = table;
        this.dateColumn = dateColumn;
    }
}
