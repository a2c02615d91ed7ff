package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.WireEnum;

/** Bucket width of a time series; week and month are derived from day rollups (ISO weeks, UTC). */
public enum Granularity implements WireEnum {
    MINUTE(RollupLevel.MINUTE),
    HOUR(RollupLevel.HOUR),
    DAY(RollupLevel.DAY),
    WEEK(RollupLevel.DAY),
    MONTH(RollupLevel.DAY);

    /** The coarsest stored level a series of this width can read. */
    public final RollupLevel source;

    Granularity(RollupLevel source) {
        this.source = source;
    }
}
