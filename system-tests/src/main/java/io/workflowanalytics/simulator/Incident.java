package io.workflowanalytics.simulator;

import java.time.Instant;

/** An injected incident, written out as ground truth so that tests and people can check what the suite finds. */
record Incident(String type, String workflowId, String nodeId, Instant start, Instant end, double factor,
                String description) {

    static final String ERROR_SPIKE = "error_spike";
    static final String SLOW_API = "slow_api_node";
    static final String COST_JUMP = "cost_jump";

    boolean active(String workflow, Instant t) {
        return workflowId.equals(workflow) && !t.isBefore(start) && t.isBefore(end);
    }
}
