package io.workflowanalytics.query.alerts;

/**
 * One evaluation of a rule's condition: the measured value, the levels it was compared with, and where it lies.
 *
 * @param value      what was measured (null when there was nothing to measure)
 * @param baseline   the baseline the levels derive from (null without one)
 * @param samples    executions or samples the value rests on
 * @param fireLevel  at or above it the condition holds
 * @param clearLevel below it the condition is clear; between the two nothing changes (hysteresis)
 */
public record Measurement(Double value, Double baseline, long samples, double fireLevel, double clearLevel,
                          Level level) {

    public enum Level {
        /** At or above the fire level with enough samples. */
        ABOVE,
        /** Between the clear and the fire level: the alert state stays as it is. */
        BAND,
        /** Below the clear level, or too few samples to say anything. */
        CLEAR
    }

    public static Measurement nothing(double fireLevel, double clearLevel) {
        return new Measurement(null, null, 0, fireLevel, clearLevel, Level.CLEAR);
    }
}
