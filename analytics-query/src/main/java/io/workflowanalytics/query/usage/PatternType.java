package io.workflowanalytics.query.usage;

import io.workflowanalytics.common.events.WireEnum;

/**
 * Spec PatternType: which parts of the usage view to compute ({@code patternTypes}). Temporal covers the hour and
 * weekday profiles with the peak windows, seasonal the weekly and monthly series; user behaviour the segments, top
 * users and devices; geographic the countries and regions; feature adoption the versions and environments.
 */
public enum PatternType implements WireEnum {
    TEMPORAL, USER_BEHAVIOR, GEOGRAPHIC, SEASONAL, FEATURE_ADOPTION
}
