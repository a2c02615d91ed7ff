package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.WireEnum;

/**
 * Bucket width of a time series; weeks are derived from day rollups (ISO weeks, UTC), months from month rollups where
 * they are stored and from day rollups elsewhere.
 */
public enum Granularity implements WireEnum {
    MINUTE(RollupLevel.MINUTE),
    HOUR(RollupLevel.HOUR),
    DAY(RollupLevel.DAY),
    WEEK(RollupLevel.DAY),
    MONTH(RollupLevel.MONTH);

    /** The coarsest stored level a series of this width can read. */
    public final RollupLevel source;

    Granularity(RollupLevel source) {
        this.source = source;
    }
}
