package io.workflowanalytics.query.costs;

import io.workflowanalytics.query.costs.CostAnalysis.CostForecast;
import io.workflowanalytics.query.costs.CostAnalysis.ForecastPoint;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecasts daily cost by ordinary least squares on the daily costs (day index against cost), with the 95%
 * prediction interval of a new observation: ŷ ± t(0.975, n−2) · √(MSE · (1 + 1/n + (x − x̄)² / Sxx)).
 * Costs cannot be negative, so predictions and bounds are floored at zero.
 */
final class CostForecaster {

    static final int HORIZON_DAYS = 30;
    static final int MIN_DAYS = 3;
    static final double CONFIDENCE = 0.95;
    static final String METHOD = "linear_regression";

    private CostForecaster() {
    }

    /**
     * @param firstDay start of the day of {@code daily[0]}
     * @param daily    cost of consecutive whole days, oldest first
     */
    static CostForecast forecast(Instant firstDay, double[] daily) {
        int n = daily.length;
        Instant horizonStart = firstDay.plus(Duration.ofDays(n));
        if (n < MIN_DAYS) {
            // Too few days for a trend: the average day, flat, without an interval.
            double sum = 0;
            for (double d : daily) {
                sum += d;
            }
            double level = n == 0 ? 0 : sum / n;
            return build(horizonStart, n, 0, day -> new double[] {level, level, level});
        }
        SimpleRegression regression = new SimpleRegression();
        double meanX = 0;
        for (int i = 0; i < n; i++) {
            regression.addData(i, daily[i]);
            meanX += i;
        }
        meanX /= n;
        double mse = regression.getMeanSquareError();
        double sxx = regression.getXSumSquares();
        double t = new TDistribution(null, n - 2).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
        double centre = meanX;
        return build(horizonStart, n, regression.getSlope(), k -> {
            double x = n - 1 + k;
            double predicted = regression.predict(x);
            double margin = t * Math.sqrt(Math.max(0, mse * (1 + 1.0 / n + (x - centre) * (x - centre) / sxx)));
            return new double[] {predicted, predicted - margin, predicted + margin};
        });
    }

    private interface Day {
        /** Predicted, lower and upper cost of the k-th day after the data (k = 1 … horizon). */
        double[] at(int k);
    }

    private static CostForecast build(Instant horizonStart, int basedOn, double slope, Day model) {
        List<ForecastPoint> points = new ArrayList<>(HORIZON_DAYS);
        double total = 0;
        double lower = 0;
        double upper = 0;
        for (int k = 1; k <= HORIZON_DAYS; k++) {
            double[] v = model.at(k);
            double p = Math.max(0, v[0]);
            double lo = Math.max(0, v[1]);
            double hi = Math.max(0, v[2]);
            points.add(new ForecastPoint(horizonStart.plus(Duration.ofDays(k - 1)).toString(), p, lo, hi));
            total += p;
            lower += lo;
            upper += hi;
        }
        return new CostForecast(METHOD, CONFIDENCE, HORIZON_DAYS, basedOn, finite(slope), total, lower, upper, points);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
