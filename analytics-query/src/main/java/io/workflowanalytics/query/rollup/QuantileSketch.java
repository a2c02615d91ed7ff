package io.workflowanalytics.query.rollup;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DDSketch (Masson, Rim and Lee, VLDB 2019) with relative accuracy {@value #RELATIVE_ACCURACY}: every quantile it
 * answers is within ±1% (relative) of the exact value at that rank, whatever the distribution, and two sketches merge
 * exactly by adding bucket counts, so the sketch of any range or grouping is the merge of its rollups' sketches.
 * <p>
 * Value {@code v > 0} falls in bucket {@code ceil(log_γ v)} with γ = (1+α)/(1−α); the bucket's representative
 * value 2γ^i/(γ+1) is within α of every value in it. Negative values mirror into their own buckets and values with
 * |v| below {@value #MIN_INDEXABLE} count as zero.
 * <p>
 * Stored form (column {@code sketch bigint[]} of the rollups): one long per non-empty bucket,
 * {@code slot << 40 | count}, ascending by slot, where slots order buckets by value (negatives, zero, positives).
 * PostgreSQL merges two stored sketches with {@code query.sketch_merge} (V2 migration) on the same layout.
 */
public final class QuantileSketch {

    public static final double RELATIVE_ACCURACY = 0.01;
    public static final double MIN_INDEXABLE = 1e-9;

    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int ZERO_SLOT = 100_000;
    private static final int POSITIVE_BASE = 200_000;
    private static final int NEGATIVE_BASE = 60_000;
    private static final int COUNT_BITS = 40;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final TreeMap<Integer, Long> counts = new TreeMap<>();
    private long total;

    public void add(double value) {
        add(value, 1);
    }

    public void add(double value, long count) {
        addToSlot(slot(value), count);
    }

    /** Adds to a bucket found by {@link #slot(double)}: a value counted in many sketches is placed once. */
    void addToSlot(int slot, long count) {
        counts.merge(slot, count, Long::sum);
        total += count;
    }

    public void merge(QuantileSketch other) {
        other.counts.forEach((slot, c) -> counts.merge(slot, c, Long::sum));
        total += other.total;
    }

    public void merge(long[] encoded) {
        if (encoded == null) {
            return;
        }
        for (long e : encoded) {
            long c = e & COUNT_MASK;
            counts.merge((int) (e >>> COUNT_BITS), c, Long::sum);
            total += c;
        }
    }

    public long count() {
        return total;
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /**
     * The value at rank {@code floor(q·(n−1))} of the sorted values (0-based), within ±1% relative; 0 when empty.
     */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.floor(Math.max(0, Math.min(1, q)) * (total - 1));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (seen > rank) {
                return value(e.getKey());
            }
        }
        return value(counts.lastKey());
    }

    /** The buckets as (representative value, count), ascending: the histogram the rank tests work on. */
    public double[][] buckets() {
        double[][] out = new double[counts.size()][];
        int i = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            out[i++] = new double[] {value(e.getKey()), e.getValue()};
        }
        return out;
    }

    public long[] encode() {
        long[] out = new long[counts.size()];
        int i = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            out[i++] = ((long) e.getKey() << COUNT_BITS) | e.getValue();
        }
        return out;
    }

    public static QuantileSketch decode(long[] encoded) {
        QuantileSketch sketch = new QuantileSketch();
        sketch.merge(encoded);
        return sketch;
    }

    static int slot(double value) {
        double magnitude = Math.abs(value);
        if (magnitude < MIN_INDEXABLE) {
            return ZERO_SLOT;
        }
        int index = (int) Math.ceil(Math.log(magnitude) / LOG_GAMMA);
        return value > 0 ? POSITIVE_BASE + index : NEGATIVE_BASE - index;
    }

    static double value(int slot) {
        if (slot == ZERO_SLOT) {
            return 0;
        }
        boolean positive = slot > ZERO_SLOT;
        int index = positive ? slot - POSITIVE_BASE : NEGATIVE_BASE - slot;
        double magnitude = 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
        return positive ? magnitude : -magnitude;
    }

    @Override
    public String toString() {
        return "QuantileSketch" + Arrays.toString(encode());
    }
}
