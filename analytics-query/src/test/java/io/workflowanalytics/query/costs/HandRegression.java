package io.workflowanalytics.query.costs;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Ordinary least squares of y against day index 0..n−1, computed by hand (not by the class under test): the line
 * and the 95% prediction interval the cost forecast must reproduce.
 */
record HandRegression(int n, double slope, double intercept, double sxx, double mx, double mse, double t) {

    static HandRegression of(double[] y) {
        int n = y.length;
        double mx = (n - 1) / 2.0;
        double my = 0;
        for (double v : y) {
            my += v / n;
        }
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (i - mx) * (i - mx);
            sxy += (i - mx) * (y[i] - my);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (intercept + slope * i);
            sse += r * r;
        }
        return new HandRegression(n, slope, intercept, sxx, mx, sse / (n - 2),
                new TDistribution(n - 2).inverseCumulativeProbability(0.975));
    }

    /** The line's value at day index x. */
    double predicted(double x) {
        return intercept + slope * x;
    }

    /** Half-width of the 95% prediction interval at day index x. */
    double margin(double x) {
        return t * Math.sqrt(mse * (1 + 1.0 / n + (x - mx) * (x - mx) / sxx));
    }
}
