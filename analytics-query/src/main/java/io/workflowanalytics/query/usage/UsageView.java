package io.workflowanalytics.query.usage;

import java.util.List;

/**
 * The usage page's answer (spec: Get Usage Analytics). Sections of pattern types that were not asked for are null
 * and so omitted from the JSON. Percentages are 0..100, shares 0..1, times in ms, loads in executions per hour; the
 * definitions are in docs/views/usage.md.
 */
public record UsageView(
        String workflowId,
        String start,
        String end,
        List<String> patternTypes,
        UsageOverview usageOverview,
        List<PatternData> temporalPatterns,
        UserBehaviorAnalysis userBehavior,
        List<GeographicUsage> geographicDistribution,
        List<RegionUsage> regionalDistribution,
        List<DeviceUsageData> deviceTypes,
        List<FeatureUsage> featureAdoption,
        List<UsageInsight> insights) {

    /**
     * Headline figures. peakHour is the UTC hour of day with the most executions, busiestDay the weekday with the
     * most executions per occurrence in the range; both omitted when there are no executions.
     */
    public record UsageOverview(long totalExecutions, long activeUsers, double averageExecutionsPerUser,
                                double averageExecutionTime, Integer peakHour, String busiestDay) {
    }

    /**
     * Spec PatternData, one per pattern type asked for (the spec's TemporalPattern[]), temporal first: a
     * {@code temporal} one holds hourlyDistribution (24 execution counts by UTC hour of day), dailyDistribution (7 by
     * ISO weekday, Monday first) and the peak windows; a {@code seasonal} one weeklyDistribution and
     * monthlyDistribution, one count per ISO week (weekStarts, the Mondays) and per calendar month (months, yyyy-MM)
     * the range touches, oldest first. The other type's lists are empty; averageHourlyLoad is in both.
     */
    public record PatternData(String patternType, List<Long> hourlyDistribution, List<Long> dailyDistribution,
                              List<Long> weeklyDistribution, List<String> weekStarts,
                              List<Long> monthlyDistribution, List<String> months,
                              double averageHourlyLoad, List<PeakWindow> peakUsageWindows) {
    }

    /** Spec PeakWindow: a run of UTC hours of day ("HH:00", end exclusive) whose load stands out; duration in hours. */
    public record PeakWindow(String startTime, String endTime, double averageLoad, double peakLoad, int duration,
                             String frequency) {
    }

    /** Segments (thresholds in executions per day of the range) and the top users. */
    public record UserBehaviorAnalysis(long activeUsers, double rangeDays, double powerUserExecutionsPerDay,
                                       double regularUserExecutionsPerDay, List<UserSegment> segments,
                                       List<UserUsageData> users) {
    }

    /** A segment's users and executions; userShare of active users, executionShare of all executions. */
    public record UserSegment(String segment, long users, long executions, double userShare,
                              double executionShare) {
    }

    /** Spec UserUsageData, with the executions per day that chose the segment. */
    public record UserUsageData(String userId, String userType, long executionCount, double executionsPerDay,
                                double averageExecutionTime, List<String> preferredTimeSlots,
                                int workflowComplexity) {
    }

    /** Executions by country (distinct users per country are not stored, so none are given). */
    public record GeographicUsage(String country, long executions, double percentage) {
    }

    public record RegionUsage(String region, long executions, double percentage, long users) {
    }

    /** Spec DeviceUsageData. */
    public record DeviceUsageData(String deviceType, long executions, double percentage, long users) {
    }

    /**
     * A workflow version or environment ({@code dimension}) as a feature: its executions and share, and for versions
     * its share in the first and second half of the range with the change between them (omitted when a half is
     * empty).
     */
    public record FeatureUsage(String feature, String dimension, String value, long executions, double share,
                               long users, Double firstHalfShare, Double secondHalfShare, Double shareChange) {
    }

    /** A generated observation, only when the data supports it; value is the figure it rests on. */
    public record UsageInsight(String type, String title, String description, double value) {
    }
}
