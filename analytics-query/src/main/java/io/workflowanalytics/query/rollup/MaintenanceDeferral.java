package io.workflowanalytics.query.rollup;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@link ReadTableMaintenance} lets a pass wait: while the rollup consumer drains a backlog, but never for longer
 * than {@code maxDefer} in a row, so that a consumer that stays behind still gets its tables vacuumed and their
 * statistics refreshed.
 */
final class MaintenanceDeferral {

    private final Duration maxDefer;
    private Instant deferringSince;

    MaintenanceDeferral(Duration maxDefer) {
        if (maxDefer.isNegative()) {
            throw new IllegalArgumentException("wa.maintenance.max-defer must not be negative");
        }
        this.maxDefer = maxDefer;
    }

    /** Whether the pass due at {@code now} waits, given whether a backlog drains; a pass that runs ends the run. */
    synchronized boolean defer(boolean backlog, Instant now) {
        if (backlog) {
            if (deferringSince == null) {
                deferringSince = now;
            }
            if (Duration.between(deferringSince, now).compareTo(maxDefer) < 0) {
                return true;
            }
        }
        deferringSince = null;
        return false;
    }
}
