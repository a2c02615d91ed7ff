package io.workflowanalytics.query.costs;

import io.workflowanalytics.query.costs.CostAnalysis.CostForecast;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecast's regression and prediction interval against the textbook formulas computed by hand. */
class CostForecasterTest {

    static final Instant DAY0 = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void anExactLineIsExtendedWithZeroWidthBounds() {
        double[] daily = new double[10];
        for (int d = 0; d < daily.length; d++) {
            daily[d] = 10 + 2 * d;
        }
        CostForecast f = CostForecaster.forecast(DAY0, daily);
        assertEquals(30, f.points().size());
        assertEquals(10, f.basedOnDays());
        assertEquals(2, f.dailyTrend(), 1e-9);
        double total = 0;
        for (int k = 0; k < 30; k++) {
            double line = 10 + 2 * (10 + k);
            assertEquals(DAY0.plus(Duration.ofDays(10 + k)).toString(), f.points().get(k).date());
            assertEquals(line, f.points().get(k).predictedCost(), 1e-9);
            assertEquals(line, f.points().get(k).lowerBound(), 1e-6);
            assertEquals(line, f.points().get(k).upperBound(), 1e-6);
            total += line;
        }
        assertEquals(total, f.projectedCost(), 1e-6);
    }

    @Test
    void noisyCostsGetTheOrdinaryLeastSquaresLineAndThe95PercentPredictionInterval() {
        Random random = new Random(3);
        int n = 21;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = 50 - 1.5 * i + random.nextGaussian() * 3;
        }
        HandRegression hand = HandRegression.of(y);

        CostForecast f = CostForecaster.forecast(DAY0, y);
        assertEquals(hand.slope(), f.dailyTrend(), 1e-9);
        for (int k = 1; k <= 30; k++) {
            double x = n - 1 + k;
            double predicted = hand.predicted(x);
            double margin = hand.margin(x);
            var point = f.points().get(k - 1);
            assertEquals(Math.max(0, predicted), point.predictedCost(), 1e-9, "day " + k);
            assertEquals(Math.max(0, predicted - margin), point.lowerBound(), 1e-9, "day " + k);
            assertEquals(Math.max(0, predicted + margin), point.upperBound(), 1e-9, "day " + k);
        }
        // The line falls below zero within the horizon (50 − 1.5·x): never a negative cost.
        assertTrue(f.points().stream().allMatch(p -> p.predictedCost() >= 0 && p.lowerBound() >= 0));
    }

    @Test
    void fewerThanThreeDaysGiveAFlatForecastOfTheirAverage() {
        CostForecast f = CostForecaster.forecast(DAY0, new double[] {4, 6});
        assertEquals(2, f.basedOnDays());
        assertEquals(0, f.dailyTrend());
        f.points().forEach(p -> {
            assertEquals(5, p.predictedCost());
            assertEquals(5, p.lowerBound());
            assertEquals(5, p.upperBound());
        });
        CostForecast none = CostForecaster.forecast(DAY0, new double[0]);
        assertEquals(0, none.projectedCost());
        assertEquals(DAY0.toString(), none.points().get(0).date());
    }
}
