package io.workflowanalytics.query.rollup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaintenanceDeferralTest {

    private static final Instant T0 = Instant.parse("2026-12-04T15:00:00Z");

    @Test
    void passesWaitWhileTheConsumerIsBehindForAtMostTheLongestDeferral() {
        MaintenanceDeferral deferral = new MaintenanceDeferral(Duration.ofMinutes(15));
        assertFalse(deferral.defer(false, T0), "no backlog: the pass runs");
        assertTrue(deferral.defer(true, T0.plusSeconds(60)));
        assertTrue(deferral.defer(true, T0.plusSeconds(60 + 14 * 60 - 1)));
        assertFalse(deferral.defer(true, T0.plusSeconds(60 + 15 * 60)), "15 minutes deferred: the pass runs");
        assertTrue(deferral.defer(true, T0.plusSeconds(60 + 16 * 60)), "and the next run of deferrals begins");
    }

    @Test
    void aPassThatRunsEndsTheRunOfDeferrals() {
        MaintenanceDeferral deferral = new MaintenanceDeferral(Duration.ofMinutes(10));
        assertTrue(deferral.defer(true, T0));
        assertFalse(deferral.defer(false, T0.plusSeconds(540)), "caught up");
        assertTrue(deferral.defer(true, T0.plusSeconds(600)));
        assertTrue(deferral.defer(true, T0.plusSeconds(1_140)), "counted from the new run's first deferral");
        assertFalse(deferral.defer(true, T0.plusSeconds(1_200)));
    }

    @Test
    void zeroMaxDeferNeverWaitsAndANegativeOneIsRefused() {
        assertFalse(new MaintenanceDeferral(Duration.ZERO).defer(true, T0));
        assertThrows(IllegalArgumentException.class, () -> new MaintenanceDeferral(Duration.ofMinutes(-1)));
    }
}
