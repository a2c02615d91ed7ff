package io.workflowanalytics.query.rollup;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@link ReadTableMaintenance} lets a pass wait: while the rollup consumer is more than {@code maxLag} records
 * behind, but never for longer than {@code maxDefer} in a row, so that a consumer that stays behind still gets its
 * tables vacuumed and their statistics refreshed.
 */
final class MaintenanceDeferral {

    private final long maxLag;
    private final Duration maxDefer;
    private Instant deferringSince;

    MaintenanceDeferral(long maxLag, Duration maxDefer) {
        if (maxLag < 0 || maxDefer.isNegative()) {
            throw new IllegalArgumentException("wa.maintenance.defer-while-lag-above and max-defer must not be "
                    + "negative");
        }
        this.maxLag = maxLag;
        this.maxDefer = maxDefer;
    }

    /** Whether the pass due at {@code now} waits, given the consumer's lag; a pass that does not wait ends the run. */
    synchronized boolean defer(long lag, Instant now) {
        if (lag > maxLag) {
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
