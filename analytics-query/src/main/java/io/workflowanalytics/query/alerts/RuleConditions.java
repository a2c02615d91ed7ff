package io.workflowanalytics.query.alerts;

/**
 * The conditions of the rule types as pure functions of what was measured (docs/views/alerts.md): the fire level
 * {@code max(baseline × factor, baseline + minDelta, threshold)} (baseline types; the others compare with
 * {@code threshold}), the clear level {@code baseline + (fire − baseline) × clearRatio}, and which side the value is.
 */
public final class RuleConditions {

    private RuleConditions() {
    }

    /** The fire level for a baseline ({@code null}: none learned, only the threshold counts). */
    public static double fireLevel(RuleParameters p, Double baseline) {
        if (!p.learnsBaseline() || baseline == null) {
            return p.threshold() > 0 ? p.threshold() : Double.POSITIVE_INFINITY;
        }
        return Math.max(Math.max(baseline * p.factor(), baseline + p.minDelta()), p.threshold());
    }

    public static double clearLevel(RuleParameters p, Double baseline, double fire) {
        double b = p.learnsBaseline() && baseline != null ? baseline : 0;
        if (Double.isInfinite(fire)) {
            return fire;
        }
        return b + (fire - b) * p.clearRatio();
    }

    /**
     * Classifies a value measured over {@code samples}: too few samples (fewer than minSamples) count as clear, since
     * the incident has no data left to stand on.
     *
     * @param baseline the baseline the levels derive from: {@link #baselineFor} picks it
     */
    public static Measurement classify(RuleParameters p, Double value, long samples, Double baseline) {
        Double b = p.learnsBaseline() ? baseline : null;
        double fire = fireLevel(p, b);
        double clear = clearLevel(p, b, fire);
        Measurement.Level level;
        if (value == null || samples < p.minSamples() || Double.isInfinite(fire)) {
            level = Measurement.Level.CLEAR;
        } else if (value >= fire) {
            level = Measurement.Level.ABOVE;
        } else if (value < clear) {
            level = Measurement.Level.CLEAR;
        } else {
            level = Measurement.Level.BAND;
        }
        return new Measurement(value, b, samples, fire, clear, level);
    }

    /**
     * The baseline to compare with: while an alert is open, the one stored when it fired (none, if it fired without
     * one), so that an incident that lasts long enough to enter the baseline span cannot resolve itself by raising
     * the baseline; otherwise the one learned now.
     */
    public static Double baselineFor(StoredAlert open, Double learned) {
        return open != null ? open.baseline() : learned;
    }

    /** The error rate of a window: failures over executions (null without executions). */
    public static Double rate(long failures, long executions) {
        return executions == 0 ? null : (double) failures / executions;
    }

    /** Severity escalates one level when the value is at least twice the fire level (documented). */
    public static boolean escalates(Measurement m) {
        return m.value() != null && Double.isFinite(m.fireLevel()) && m.fireLevel() > 0
                && m.value() >= 2 * m.fireLevel();
    }
}
