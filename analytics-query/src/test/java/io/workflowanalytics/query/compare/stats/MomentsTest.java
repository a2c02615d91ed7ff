package io.workflowanalytics.query.compare.stats;

import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MomentsTest {

    @Test
    void meanAndSampleVarianceMatchTwoPassComputation() {
        double[] x = Samples.normal(7, 500, 250, 40);
        Moments m = Moments.of(x);
        assertEquals(500, m.n());
        assertEquals(new Variance(true).evaluate(x), m.variance(), 1e-9);
        assertEquals(Math.sqrt(new Variance(true).evaluate(x)), m.standardDeviation(), 1e-10);
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        assertEquals(mean, m.mean(), 1e-10);
    }

    @Test
    void degenerateSidesHaveZeroVariance() {
        assertEquals(0, new Moments(0, 0, 0).mean());
        assertEquals(0, new Moments(0, 0, 0).variance());
        assertEquals(0, Moments.of(5).variance());
        assertEquals(5, Moments.of(5).mean());
    }

    @Test
    void roundingNeverYieldsNegativeVariance() {
        // Σx² slightly below (Σx)²/n, as cancellation can leave it for identical values.
        Moments m = new Moments(3, 3 * 0.1, 3 * 0.1 * 0.1 - 1e-18);
        assertEquals(0, m.variance());
        assertEquals(0, m.standardDeviation());
    }

    @Test
    void rejectsImpossibleInput() {
        assertThrows(IllegalArgumentException.class, () -> new Moments(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Moments(2, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Bucket(Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bucket(1, -1));
    }
}
