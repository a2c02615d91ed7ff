package io.workflowanalytics.query.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** The spec's AnalyticsSchedule: which analyses are stored for each active workflow, and how often. */
@ConfigMapping(prefix = "wa.analysis")
public interface AnalysisScheduleConfig {

    @WithDefault("true")
    boolean enabled();

    /** hourly, daily, weekly or monthly: each completed period (UTC) is analysed once. */
    @WithDefault("daily")
    String frequency();

    /** performance, usage, errors, costs. */
    @WithDefault("performance,usage,errors,costs")
    List<String> types();

    /** How often the job looks for a completed period not analysed yet. */
    @WithDefault("1m")
    String checkEvery();
}
