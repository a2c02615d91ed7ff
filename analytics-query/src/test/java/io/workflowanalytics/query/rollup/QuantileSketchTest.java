package io.workflowanalytics.query.rollup;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sketch's buckets against a plain sorted map of slot to count, built from the same values, through every way
 * a sketch is filled (adding, merging sketches, merging encoded ones in and out of order), and its quantiles against
 * the exact ones within the stated relative accuracy.
 */
class QuantileSketchTest {

    @Test
    void bucketsEqualASortedMapOfTheSameValuesHoweverTheSketchIsFilled() {
        Random random = new Random(17);
        for (int round = 0; round < 200; round++) {
            TreeMap<Integer, Long> expected = new TreeMap<>();
            QuantileSketch added = new QuantileSketch();
            QuantileSketch merged = new QuantileSketch();
            QuantileSketch decoded = new QuantileSketch();
            QuantileSketch shuffled = new QuantileSketch();
            int parts = 1 + random.nextInt(6);
            for (int p = 0; p < parts; p++) {
                QuantileSketch part = new QuantileSketch();
                int n = random.nextInt(300);
                for (int i = 0; i < n; i++) {
                    double v = switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> -random.nextDouble() * 1000;
                        default -> Math.exp(random.nextGaussian() * 3);
                    };
                    long count = 1 + random.nextInt(3);
                    expected.merge(QuantileSketch.slot(v), count, Long::sum);
                    added.add(v, count);
                    part.add(v, count);
                }
                merged.merge(part);
                decoded.merge(part.encode());
                List<Long> reversed = new ArrayList<>();
                for (long e : part.encode()) {
                    reversed.add(0, e);
                }
                shuffled.merge(reversed.stream().mapToLong(Long::longValue).toArray());
            }
            long[] encoded = expected.entrySet().stream()
                    .mapToLong(e -> ((long) e.getKey() << 40) | e.getValue()).toArray();
            long total = expected.values().stream().mapToLong(Long::longValue).sum();
            for (QuantileSketch sketch : List.of(added, merged, decoded, shuffled)) {
                assertArrayEquals(encoded, sketch.encode(), "round " + round);
                assertEquals(total, sketch.count());
            }
        }
    }

    @Test
    void quantilesAreWithinTheRelativeAccuracyOfTheExactOnes() {
        Random random = new Random(5);
        double[] values = new double[10_001];
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(random.nextGaussian() * 2) * 100;
            sketch.add(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1}) {
            double exact = values[(int) Math.floor(q * (values.length - 1))];
            double estimate = sketch.quantile(q);
            assertEquals(exact, estimate, exact * QuantileSketch.RELATIVE_ACCURACY * 1.0000001, "q " + q);
        }
    }
}
