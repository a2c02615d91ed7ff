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
        MaintenanceDeferral deferral = new MaintenanceDeferral(100_000, Duration.ofMinutes(15));
        assertFalse(deferral.defer(100_000, T0), "at the threshold: not behind");
        assertTrue(deferral.defer(100_001, T0.plusSeconds(60)));
        assertTrue(deferral.defer(5_000_000, T0.plusSeconds(60 + 14 * 60 - 1)));
        assertFalse(deferral.defer(5_000_000, T0.plusSeconds(60 + 15 * 60)), "15 minutes deferred: the pass runs");
        assertTrue(deferral.defer(5_000_000, T0.plusSeconds(60 + 16 * 60)), "and the next run of deferrals begins");
    }

    @Test
    void aPassThatRunsEndsTheRunOfDeferrals() {
        MaintenanceDeferral deferral = new MaintenanceDeferral(1_000, Duration.ofMinutes(10));
        assertTrue(deferral.defer(2_000, T0));
        assertFalse(deferral.defer(10, T0.plusSeconds(540)), "caught up");
        assertTrue(deferral.defer(2_000, T0.plusSeconds(600)));
        assertTrue(deferral.defer(2_000, T0.plusSeconds(1_140)), "counted from the new run's first deferral");
        assertFalse(deferral.defer(2_000, T0.plusSeconds(1_200)));
    }

    @Test
    void zeroMaxDeferNeverWaitsAndNegativeSettingsAreRefused() {
        assertFalse(new MaintenanceDeferral(0, Duration.ZERO).defer(1_000_000, T0));
        assertThrows(IllegalArgumentException.class, () -> new MaintenanceDeferral(-1, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new MaintenanceDeferral(1, Duration.ofMinutes(-1)));
    }
}
