package io.workflowanalytics.query.compare.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Seeded sample generators and histogram builders shared by the tests. */
final class Samples {

    private Samples() {
    }

    static double[] normal(long seed, int n, double mean, double sd) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + sd * random.nextGaussian();
        }
        return x;
    }

    static double[] logNormal(long seed, int n, double mu, double sigma) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.exp(mu + sigma * random.nextGaussian());
        }
        return x;
    }

    static double[] rounded(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.rint(x[i]);
        }
        return r;
    }

    /** Exact histogram: one bucket per distinct value, in value order. */
    static List<Bucket> histogram(double[] x) {
        Map<Double, Long> counts = new TreeMap<>();
        for (double v : x) {
            counts.merge(v, 1L, Long::sum);
        }
        List<Bucket> buckets = new ArrayList<>();
        counts.forEach((v, c) -> buckets.add(new Bucket(v, c)));
        return buckets;
    }

    static void assertAllFinite(TestResult r) {
        double[] values = {r.statistic(), r.pValue(), r.difference(), r.confidenceLow(), r.confidenceHigh(),
                r.confidenceLevel(), r.effectSize()};
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new AssertionError("non-finite value in " + r);
            }
        }
        if (r.pValue() < 0 || r.pValue() > 1 || r.confidenceLow() > r.confidenceHigh()) {
            throw new AssertionError("inconsistent result " + r);
        }
    }
}
