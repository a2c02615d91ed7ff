package io.workflowanalytics.query.testing;

import io.workflowanalytics.common.events.AnalyticsMetric;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/** Expected figures computed the slow, obvious way from the raw metrics, for comparison with the views. */
public final class BruteForce {

    private BruteForce() {
    }

    /** Sum at the raw store's precision (DECIMAL(15,6)). */
    public static BigDecimal sum(List<AnalyticsMetric> metrics) {
        BigDecimal s = BigDecimal.ZERO;
        for (AnalyticsMetric m : metrics) {
            s = s.add(BigDecimal.valueOf(m.value()).setScale(6, RoundingMode.HALF_UP));
        }
        return s;
    }

    public static double mean(List<AnalyticsMetric> metrics) {
        return metrics.isEmpty() ? 0
                : sum(metrics).divide(BigDecimal.valueOf(metrics.size()), MathContext.DECIMAL64).doubleValue();
    }

    public static double max(List<AnalyticsMetric> metrics) {
        return metrics.stream().mapToDouble(AnalyticsMetric::value).max().orElse(0);
    }

    /** The value at rank floor(q·(n−1)) of the sorted values: what the sketch approximates within 1%. */
    public static double quantile(List<AnalyticsMetric> metrics, double q) {
        double[] v = metrics.stream().mapToDouble(AnalyticsMetric::value).sorted().toArray();
        return v.length == 0 ? 0 : v[(int) Math.floor(q * (v.length - 1))];
    }
}
