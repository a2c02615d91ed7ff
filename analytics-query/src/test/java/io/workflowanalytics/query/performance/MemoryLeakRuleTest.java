package io.workflowanalytics.query.performance;

import io.workflowanalytics.query.performance.PerformanceView.Bottleneck;
import io.workflowanalytics.query.rollup.Aggregate;
import io.workflowanalytics.query.rollup.RollupReader.Point;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a memory series reads as a leak, and the figures the bottleneck carries (against the line's own sums). */
class MemoryLeakRuleTest {

    private static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");

    @Test
    void aSteadyRiseIsALeakWithTheLeastSquaresFigures() {
        Random noise = new Random(5);
        // 400 MB rising 5 MB an hour for 36 hours (+45 %), ±10 MB of noise, one hour without data.
        List<Point> series = hourly(36, h -> h == 17 ? Double.NaN : 400 + 5 * h + (noise.nextDouble() - 0.5) * 20);
        Bottleneck leak = PerformanceService.memoryLeak(series).orElseThrow();

        double[] x = series.stream().mapToDouble(p -> ChronoUnit.SECONDS.between(T0, p.bucket()) / 3600.0).toArray();
        double[] y = series.stream().mapToDouble(p -> p.aggregate().mean()).toArray();
        Line line = Line.through(x, y);
        double start = line.intercept();
        double end = line.intercept() + line.slope() * 35;
        assertEquals(start, leak.metrics().get("memoryAtStart"), 1e-9);
        assertEquals(end, leak.metrics().get("memoryAtEnd"), 1e-9);
        assertEquals(line.slope(), leak.metrics().get("growthPerHour"), 1e-12);
        assertEquals(line.rSquare(), leak.metrics().get("fit"), 1e-12);
        assertEquals((end - start) / start, leak.metrics().get("growth"), 1e-12);
        assertEquals(35.0, leak.metrics().get("points"));
        assertEquals("memory_leak", leak.type());
        assertNull(leak.nodeId());
        assertEquals("medium", leak.impact(), "+45 % over the range");
        assertFalse(leak.suggestedActions().isEmpty());
    }

    @Test
    void impactGrowsWithTheGrowth() {
        assertEquals("high", PerformanceService.memoryLeak(hourly(10, h -> 300 + 20 * h)).orElseThrow().impact());
        assertEquals("critical", PerformanceService.memoryLeak(hourly(10, h -> 100 + 20 * h)).orElseThrow()
                .impact());
    }

    @Test
    void noiseAroundALevelASpikeASmallRiseAFallAndFewPointsAreNoLeak() {
        Random random = new Random(9);
        assertTrue(leak(hourly(48, h -> 256 + random.nextDouble() * 256)).isEmpty(), "noise around a level");
        assertTrue(leak(hourly(24, h -> h == 20 ? 2000 : 400)).isEmpty(), "one spike");
        assertTrue(leak(hourly(24, h -> 500 + 2 * h)).isEmpty(), "a straight rise of 9 %: under 20 %");
        assertTrue(leak(hourly(24, h -> 900 - 10 * h)).isEmpty(), "falling");
        assertTrue(leak(hourly(24, h -> 512)).isEmpty(), "flat");
        assertTrue(leak(hourly(5, h -> 100 + 50 * h)).isEmpty(), "five points only");
        assertTrue(leak(List.of()).isEmpty(), "no data");
    }

    /** The least-squares line through points, from its defining sums (the service uses commons-math3's). */
    record Line(double slope, double intercept, double rSquare) {

        static Line through(double[] x, double[] y) {
            int n = x.length;
            double mx = java.util.Arrays.stream(x).sum() / n;
            double my = java.util.Arrays.stream(y).sum() / n;
            double sxy = 0;
            double sxx = 0;
            double syy = 0;
            for (int i = 0; i < n; i++) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
            double slope = sxy / sxx;
            return new Line(slope, my - slope * mx, sxy * sxy / (sxx * syy));
        }
    }

    private static Optional<Bottleneck> leak(List<Point> series) {
        return PerformanceService.memoryLeak(series);
    }

    /** One point an hour from T0 whose mean is the function's value (NaN: no data that hour). */
    private static List<Point> hourly(int hours, IntToDoubleFunction mb) {
        List<Point> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            double v = mb.applyAsDouble(h);
            if (!Double.isNaN(v)) {
                out.add(new Point(T0.plus(h, ChronoUnit.HOURS), new Aggregate(4, BigDecimal.valueOf(v * 4), 0, v, v,
                        null)));
            }
        }
        return out;
    }
}
