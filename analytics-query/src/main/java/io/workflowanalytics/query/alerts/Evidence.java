package io.workflowanalytics.query.alerts;

import java.util.List;

/**
 * What an evaluation read besides the value: the window's executions and failures, where failures happened, and for
 * cost rules the budget compared with. Turned into an alert's text by {@link AlertContent}.
 */
public record Evidence(long executions, long failures, List<String> failingNodes, List<String> errorTypes,
                       String budgetPeriod, Double budget, Double spend, String currency) {

    public static final Evidence NONE = new Evidence(0, 0, List.of(), List.of(), null, null, null, null);

    Evidence withFailures(List<String> nodes, List<String> errors) {
        return new Evidence(executions, failures, nodes, errors, budgetPeriod, budget, spend, currency);
    }
}
