package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.query.alerts.AlertStateMachine.Action;
import io.workflowanalytics.query.alerts.AlertStateMachine.Decision;
import io.workflowanalytics.query.alerts.AlertStateMachine.Open;
import io.workflowanalytics.query.alerts.AlertStateMachine.State;
import io.workflowanalytics.query.alerts.Measurement.Level;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lifecycle decisions with exact expectations: minimum durations, hysteresis band, cooldown, suppression. */
class AlertStateMachineTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    /** Fires after 10 s above, resolves after 20 s clear, quiet 60 s after a resolve. */
    static final RuleParameters RULE = new RuleParameters(AlertType.ERROR_RATE_SPIKE, true, AlertSeverity.CRITICAL,
            0.10, 2, 0.05, 0.8, null, null, 60, 3600, 10, 10, 20, 60);
    static final State EMPTY = new State(null, null, null);

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void firesOnlyAfterTheConditionHeldForForSeconds() {
        Decision first = AlertStateMachine.decide(RULE, EMPTY, null, Level.ABOVE, at(0));
        assertEquals(Action.NONE, first.action());
        assertEquals(at(0), first.state().pendingSince());
        Decision early = AlertStateMachine.decide(RULE, first.state(), null, Level.ABOVE, at(9));
        assertEquals(Action.NONE, early.action());
        assertEquals(at(0), early.state().pendingSince());
        Decision fire = AlertStateMachine.decide(RULE, early.state(), null, Level.ABOVE, at(10));
        assertEquals(Action.FIRE, fire.action());
        assertNull(fire.state().pendingSince());
    }

    @Test
    void aBreakInTheConditionRestartsTheMinimumDuration() {
        State pending = new State(at(0), null, null);
        Decision band = AlertStateMachine.decide(RULE, pending, null, Level.BAND, at(5));
        assertEquals(Action.NONE, band.action());
        assertNull(band.state().pendingSince());
        Decision again = AlertStateMachine.decide(RULE, band.state(), null, Level.ABOVE, at(6));
        assertEquals(at(6), again.state().pendingSince());
        assertEquals(Action.NONE, AlertStateMachine.decide(RULE, again.state(), null, Level.ABOVE, at(15)).action());
        assertEquals(Action.FIRE, AlertStateMachine.decide(RULE, again.state(), null, Level.ABOVE, at(16)).action());
    }

    @Test
    void resolvesOnlyAfterStayingClearForClearForSeconds() {
        Open open = new Open(AlertStatus.ACKNOWLEDGED, null);
        Decision clear = AlertStateMachine.decide(RULE, EMPTY, open, Level.CLEAR, at(100));
        assertEquals(Action.NONE, clear.action());
        assertEquals(at(100), clear.state().clearSince());
        assertEquals(Action.NONE, AlertStateMachine.decide(RULE, clear.state(), open, Level.CLEAR, at(119)).action());
        Decision resolve = AlertStateMachine.decide(RULE, clear.state(), open, Level.CLEAR, at(120));
        assertEquals(Action.RESOLVE, resolve.action());
        assertEquals(at(180), resolve.state().quietUntil());
    }

    @Test
    void theBandBetweenClearAndFireLevelStopsTheClearClock() {
        Open open = new Open(AlertStatus.ACTIVE, null);
        State clearing = new State(null, at(100), null);
        Decision band = AlertStateMachine.decide(RULE, clearing, open, Level.BAND, at(110));
        assertEquals(Action.NONE, band.action());
        assertNull(band.state().clearSince());
    }

    @Test
    void cooldownAfterAResolveRaisesNothingNew() {
        State quiet = new State(null, null, at(180));
        Decision during = AlertStateMachine.decide(RULE, quiet, null, Level.ABOVE, at(170));
        assertEquals(Action.NONE, during.action());
        assertNull(during.state().pendingSince());
        Decision after = AlertStateMachine.decide(RULE, quiet, null, Level.ABOVE, at(180));
        assertEquals(at(180), after.state().pendingSince());
    }

    @Test
    void suppressionExtendsTheQuietTimeAfterAResolveAndReactivatesWhenOverStillAbove() {
        Open suppressed = new Open(AlertStatus.SUPPRESSED, at(500));
        assertEquals(Action.NONE, AlertStateMachine.decide(RULE, EMPTY, suppressed, Level.ABOVE, at(499)).action());
        assertEquals(Action.REACTIVATE,
                AlertStateMachine.decide(RULE, EMPTY, suppressed, Level.ABOVE, at(500)).action());
        assertEquals(Action.NONE, AlertStateMachine.decide(RULE, EMPTY, suppressed, Level.BAND, at(600)).action());
        Decision resolved = AlertStateMachine.decide(RULE, new State(null, at(100), null), suppressed, Level.CLEAR,
                at(120));
        assertEquals(Action.RESOLVE, resolved.action());
        assertEquals(at(500), resolved.state().quietUntil());
    }

    /**
     * A rate oscillating around the fire level every 4 s (0.11 / 0.09, with the clear level at 0.08): one alert
     * after the first 10 s run above, then no further transition, however long it oscillates.
     */
    @Test
    void aRateOscillatingAroundTheThresholdDoesNotFlap() {
        RuleParameters quick = new RuleParameters(AlertType.ERROR_RATE_SPIKE, true, AlertSeverity.CRITICAL, 0.10, 2,
                0.05, 0.8, null, null, 60, 3600, 10, 0, 20, 60);
        List<String> transitions = simulate(quick, 600);
        assertEquals(List.of("fire@0"), transitions);
        // With the minimum duration of 10 s, a 4-second run above never lasts long enough: nothing at all.
        assertEquals(List.of(), simulate(RULE, 600));
    }

    @Test
    void withoutHysteresisTheSameOscillationWouldFlap() {
        RuleParameters noBand = new RuleParameters(AlertType.ERROR_RATE_SPIKE, true, AlertSeverity.CRITICAL, 0.10, 2,
                0.05, 1.0, null, null, 60, 3600, 10, 0, 0, 0);
        assertEquals(150, simulate(noBand, 600).size()); // 75 fires and 75 resolves: what the band prevents
    }

    /** One evaluation a second of a rate alternating 4 s at 0.11 and 4 s at 0.09 over a 0.01 baseline. */
    private static List<String> simulate(RuleParameters rule, int seconds) {
        List<String> out = new ArrayList<>();
        State state = EMPTY;
        Open open = null;
        for (int s = 0; s < seconds; s++) {
            double rate = (s / 4) % 2 == 0 ? 0.11 : 0.09;
            Measurement m = RuleConditions.classify(rule, rate, 100, 0.01);
            Decision d = AlertStateMachine.decide(rule, state, open, m.level(), at(s));
            state = d.state();
            switch (d.action()) {
                case FIRE -> {
                    open = new Open(AlertStatus.ACTIVE, null);
                    out.add("fire@" + s);
                }
                case RESOLVE -> {
                    open = null;
                    out.add("resolve@" + s);
                }
                default -> { }
            }
        }
        return out;
    }
}
