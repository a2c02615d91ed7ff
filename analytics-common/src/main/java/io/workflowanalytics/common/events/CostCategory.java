package io.workflowanalytics.common.events;

/** Cost component an execution is billed for (spec: CostBreakdown's categories). */
public enum CostCategory implements WireEnum {
    COMPUTE, STORAGE, NETWORK, API_CALLS, THIRD_PARTY_SERVICES, OVERHEAD
}
