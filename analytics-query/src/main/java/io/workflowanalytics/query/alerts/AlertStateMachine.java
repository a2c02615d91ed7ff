package io.workflowanalytics.query.alerts;

import io.workflowanalytics.common.events.AlertStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * The lifecycle decisions of one rule (docs/views/alerts.md), a pure function of its state, its open alert and the
 * latest measurement. No flapping: an alert fires only after the condition held for {@code forSeconds} without a
 * break, resolves only after the value stayed below the clear level for {@code clearForSeconds} (the band between
 * clear and fire level changes nothing and stops both clocks), and after a resolve the rule is quiet for
 * {@code cooldownSeconds} (or until the end of a suppression, whichever is later).
 */
public final class AlertStateMachine {

    public enum Action {
        NONE,
        /** A new alert, status active. */
        FIRE,
        /** The open alert resolves: its condition cleared. */
        RESOLVE,
        /** A suppressed alert whose suppression ended while its condition still holds becomes active again. */
        REACTIVATE
    }

    /** The rule's evaluation state (alert_rules.pending_since, clear_since, quiet_until). */
    public record State(Instant pendingSince, Instant clearSince, Instant quietUntil) {
    }

    /** The rule's open alert: its status and, when suppressed, until when. */
    public record Open(AlertStatus status, Instant suppressedUntil) {
    }

    /** What to do, and the rule's state afterwards. */
    public record Decision(Action action, State state) {

        public boolean changes(State before) {
            return action != Action.NONE || !state.equals(before);
        }
    }

    private AlertStateMachine() {
    }

    /**
     * @param open the open alert (active, acknowledged or suppressed), null when there is none
     */
    public static Decision decide(RuleParameters rule, State state, Open open, Measurement.Level level, Instant now) {
        if (open == null) {
            boolean quiet = state.quietUntil() != null && now.isBefore(state.quietUntil());
            if (level != Measurement.Level.ABOVE || quiet) {
                return new Decision(Action.NONE, new State(null, null, state.quietUntil()));
            }
            Instant since = state.pendingSince() == null ? now : state.pendingSince();
            if (!now.isBefore(since.plusSeconds(rule.forSeconds()))) {
                return new Decision(Action.FIRE, new State(null, null, state.quietUntil()));
            }
            return new Decision(Action.NONE, new State(since, null, state.quietUntil()));
        }
        if (level == Measurement.Level.CLEAR) {
            Instant since = state.clearSince() == null ? now : state.clearSince();
            if (!now.isBefore(since.plusSeconds(rule.clearForSeconds()))) {
                return new Decision(Action.RESOLVE, new State(null, null, quietAfterResolve(rule, open, now)));
            }
            return new Decision(Action.NONE, new State(null, since, state.quietUntil()));
        }
        boolean suppressionEnded = open.status() == AlertStatus.SUPPRESSED && open.suppressedUntil() != null
                && !now.isBefore(open.suppressedUntil());
        Action action = level == Measurement.Level.ABOVE && suppressionEnded ? Action.REACTIVATE : Action.NONE;
        return new Decision(action, new State(null, null, state.quietUntil()));
    }

    /** The cooldown after a resolve, extended to the end of a suppression still running. */
    public static Instant quietAfterResolve(RuleParameters rule, Open open, Instant now) {
        Instant quiet = now.plus(Duration.ofSeconds(rule.cooldownSeconds()));
        if (open != null && open.suppressedUntil() != null && open.suppressedUntil().isAfter(quiet)) {
            quiet = open.suppressedUntil();
        }
        return quiet;
    }
}
