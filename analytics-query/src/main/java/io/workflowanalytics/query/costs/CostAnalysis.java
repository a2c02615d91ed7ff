package io.workflowanalytics.query.costs;

import java.util.List;

/**
 * The cost page's answer (spec: Get Cost Analysis, CostAnalysis) and its parts. Money is in {@link #currency()}
 * (the platform currency, USD); percentages are 0..100, utilisations 0..1; savings are per 30 days. Definitions in
 * docs/views/costs.md.
 */
public record CostAnalysis(
        String workflowId,
        String start,
        String end,
        String granularity,
        String currency,
        CostSummary costSummary,
        CostBreakdown costBreakdown,
        List<CostTrend> costTrends,
        CostOptimization optimization,
        BudgetAnalysis budgetAnalysis,
        CostForecast forecasting) {

    /** Headline figures of the range and the change against the equal-length range before it. */
    public record CostSummary(
            double totalCost,
            long executions,
            double costPerExecution,
            double previousPeriodCost,
            double costChangePercent,
            String currency) {
    }

    /** Spec CostBreakdown: the six categories add up to the total cost. */
    public record CostBreakdown(
            double compute,
            double storage,
            double network,
            double apiCalls,
            double thirdPartyServices,
            double overhead,
            List<CostComponent> breakdown) {
    }

    /**
     * Spec CostComponent. Rollups hold amounts only, so {@code quantity} is the number of cost records and
     * {@code unitPrice} the average amount per record.
     */
    public record CostComponent(
            String category,
            double amount,
            double percentage,
            String unit,
            double unitPrice,
            long quantity,
            String trend) {
    }

    /** One bucket of the cost trend: {@code period} is the bucket's start (UTC). */
    public record CostTrend(String period, double cost, long executions, double costPerExecution) {
    }

    /** Spec CostOptimization; savings per 30 days. */
    public record CostOptimization(
            double potentialSavings,
            double savingsPercentage,
            List<OptimizationRecommendation> recommendations,
            List<QuickWin> quickWins,
            List<Strategy> longTermStrategies) {
    }

    /** Spec OptimizationRecommendation with the {@code id} that POST …/costs/optimize takes. */
    public record OptimizationRecommendation(
            String id,
            String type,
            String description,
            double estimatedSavings,
            String implementationEffort,
            String timeToValue,
            String riskLevel,
            List<String> steps) {
    }

    /** A low-effort recommendation. */
    public record QuickWin(String id, String title, double estimatedSavings, String timeToValue) {
    }

    /** A medium- or high-effort recommendation. */
    public record Strategy(String id, String title, double estimatedSavings, String implementationEffort,
                           String timeToValue, String riskLevel) {
    }

    /**
     * Spec BudgetAnalysis: every budget set for the workflow (day, week, month order) and the overall verdict, the
     * worst of theirs ({@code over_budget}, then {@code at_risk}, then {@code on_track}; {@code no_budget} without
     * one).
     */
    public record BudgetAnalysis(String status, List<BudgetStatus> budgets) {

        static BudgetAnalysis of(List<BudgetStatus> budgets) {
            List<String> worstFirst = List.of("over_budget", "at_risk", "on_track");
            String status = budgets.stream().map(BudgetStatus::status)
                    .min(java.util.Comparator.comparingInt(worstFirst::indexOf)).orElse("no_budget");
            return new BudgetAnalysis(status, List.copyOf(budgets));
        }
    }

    /** A budget's current period: what is spent so far, the linear projection to its end and the verdict. */
    public record BudgetStatus(
            String period,
            double budget,
            String currency,
            String periodStart,
            String periodEnd,
            double spent,
            double projected,
            double utilization,
            double projectedUtilization,
            String status) {
    }

    /** Spec CostForecast: a linear trend of daily cost with 95% prediction bounds. */
    public record CostForecast(
            String method,
            double confidenceLevel,
            int horizonDays,
            int basedOnDays,
            double dailyTrend,
            double projectedCost,
            double lowerBound,
            double upperBound,
            List<ForecastPoint> points) {
    }

    /** One forecast day ({@code date} is its start, UTC). */
    public record ForecastPoint(String date, double predictedCost, double lowerBound, double upperBound) {
    }
}
