package io.workflowanalytics.query.rollup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL's {@code sketch_merge} (the rollup upsert's merge of a stored sketch and a batch's delta) against the
 * Java sketch's merge, on sketches of every shape the upsert meets: empty on either side, one far longer than the
 * other either way round, all slots shared, none shared, negative and zero values, counts large and small.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class SketchMergeTest {

    @Test
    void mergesLikeTheJavaSketchWhateverTheSizesAndOverlap() {
        Random random = new Random(1512);
        List<long[][]> cases = new ArrayList<>();
        QuantileSketch empty = new QuantileSketch();
        QuantileSketch some = sketch(random, 40, 1);
        cases.add(new long[][] {empty.encode(), empty.encode()});
        cases.add(new long[][] {empty.encode(), some.encode()});
        cases.add(new long[][] {some.encode(), empty.encode()});
        cases.add(new long[][] {some.encode(), some.encode()});
        for (int i = 0; i < 600; i++) {
            QuantileSketch longer = sketch(random, random.nextInt(400), 1 + random.nextInt(1_000_000));
            QuantileSketch shorter = sketch(random, random.nextInt(12), 1 + random.nextInt(5));
            cases.add(i % 2 == 0 ? new long[][] {longer.encode(), shorter.encode()}
                    : new long[][] {shorter.encode(), longer.encode()});
        }

        StringJoiner values = new StringJoiner(", ");
        for (int i = 0; i < cases.size(); i++) {
            values.add("(" + i + ", '" + RollupRepository.arrayLiteral(cases.get(i)[0]) + "'::bigint[], '"
                    + RollupRepository.arrayLiteral(cases.get(i)[1]) + "'::bigint[])");
        }
        List<String> merged = TestDatabase.column("SELECT array_to_string(query.sketch_merge(a, b), ',') FROM (VALUES "
                + values + ") AS c(i, a, b) ORDER BY i");

        assertEquals(cases.size(), merged.size());
        for (int i = 0; i < cases.size(); i++) {
            QuantileSketch expected = QuantileSketch.decode(cases.get(i)[0]);
            expected.merge(cases.get(i)[1]);
            long[] stored = merged.get(i).isEmpty() ? new long[0]
                    : Arrays.stream(merged.get(i).split(",")).mapToLong(Long::parseLong).toArray();
            assertEquals(Arrays.toString(expected.encode()), Arrays.toString(stored),
                    "case " + i + ": " + Arrays.toString(cases.get(i)[0]) + " + " + Arrays.toString(cases.get(i)[1]));
        }
    }

    /** Values spread like durations (log-normal), with some zeros and negatives, each counted up to maxCount times. */
    private static QuantileSketch sketch(Random random, int values, int maxCount) {
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < values; i++) {
            double v = switch (random.nextInt(10)) {
                case 0 -> 0;
                case 1 -> -Math.exp(random.nextGaussian());
                default -> Math.exp(5 + random.nextGaussian() * 1.5);
            };
            sketch.add(v, 1 + random.nextInt(maxCount));
        }
        return sketch;
    }
}
