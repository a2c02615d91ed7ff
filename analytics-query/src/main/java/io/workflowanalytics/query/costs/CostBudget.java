package io.workflowanalytics.query.costs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workflow's budget for one period (table cost_budgets). */
public record CostBudget(
        @Schema(example = "month") String period,
        @Schema(example = "250.00") double amount,
        @Schema(example = "USD") String currency,
        @Schema(example = "jane@example.com") String updatedBy,
        @Schema(example = "2026-11-02T09:15:00Z") String updatedAt) {
}
