package io.workflowanalytics.common.events;

/** User segment (spec: UserUsageData.userType). */
public enum UserType implements WireEnum {
    POWER_USER, REGULAR_USER, OCCASIONAL_USER
}
