package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.WireEnum;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The stored rollup levels (week and month are derived from days), with their bucket widths in UTC. */
public enum RollupLevel implements WireEnum {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    public final ChronoUnit unit;

    RollupLevel(ChronoUnit unit) {
        this.unit = unit;
    }

    public Instant bucket(Instant t) {
        return t.truncatedTo(unit);
    }
}
