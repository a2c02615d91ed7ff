package io.workflowanalytics.query.rollup;

import java.util.Arrays;

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

    /**
     * Buckets as parallel arrays sorted by slot (the first {@code size} entries): a batch adds mostly to buckets it
     * already has (a binary search), and merging an encoded sketch is one pass over both. A TreeMap of boxed slots
     * and counts was ~10% of the rollup fold's CPU (profiled).
     */
    private int[] slots = new int[4];
    private long[] counts = new long[4];
    private int size;
    private long total;

    public void add(double value) {
        add(value, 1);
    }

    public void add(double value, long count) {
        addToSlot(slot(value), count);
    }

    /** Adds to a bucket found by {@link #slot(double)}: a value counted in many sketches is placed once. */
    void addToSlot(int slot, long count) {
        int i = Arrays.binarySearch(slots, 0, size, slot);
        if (i >= 0) {
            counts[i] += count;
        } else {
            insert(-i - 1, slot, count);
        }
        total += count;
    }

    private void insert(int at, int slot, long count) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(slots, at, slots, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        slots[at] = slot;
        counts[at] = count;
        size++;
    }

    public void merge(QuantileSketch other) {
        merge(other.size, i -> other.slots[i], i -> other.counts[i]);
    }

    public void merge(long[] encoded) {
        if (encoded == null) {
            return;
        }
        for (int i = 1; i < encoded.length; i++) {
            if (encoded[i] >>> COUNT_BITS <= encoded[i - 1] >>> COUNT_BITS) {
                // Not in encode()'s order (never written so, but cheap to be safe): bucket by bucket.
                for (long e : encoded) {
                    addToSlot((int) (e >>> COUNT_BITS), e & COUNT_MASK);
                }
                return;
            }
        }
        merge(encoded.length, i -> (int) (encoded[i] >>> COUNT_BITS), i -> encoded[i] & COUNT_MASK);
    }

    /** Merges n buckets ascending by slot: both sorted, so one pass writes the union. */
    private void merge(int n, java.util.function.IntUnaryOperator slotAt, java.util.function.IntToLongFunction countAt) {
        if (n == 0) {
            return;
        }
        int[] mergedSlots = new int[size + n];
        long[] mergedCounts = new long[size + n];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < size || j < n) {
            int theirs = j < n ? slotAt.applyAsInt(j) : Integer.MAX_VALUE;
            if (i < size && (j == n || slots[i] < theirs)) {
                mergedSlots[k] = slots[i];
                mergedCounts[k++] = counts[i++];
            } else {
                long c = countAt.applyAsLong(j++);
                total += c;
                if (i < size && slots[i] == theirs) {
                    c += counts[i++];
                }
                mergedSlots[k] = theirs;
                mergedCounts[k++] = c;
            }
        }
        slots = mergedSlots;
        counts = mergedCounts;
        size = k;
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
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (seen > rank) {
                return value(slots[i]);
            }
        }
        return value(slots[size - 1]);
    }

    /** The buckets as (representative value, count), ascending: the histogram the rank tests work on. */
    public double[][] buckets() {
        double[][] out = new double[size][];
        for (int i = 0; i < size; i++) {
            out[i] = new double[] {value(slots[i]), counts[i]};
        }
        return out;
    }

    public long[] encode() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = ((long) slots[i] << COUNT_BITS) | counts[i];
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
