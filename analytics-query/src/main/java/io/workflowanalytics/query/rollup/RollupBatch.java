package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.MetricType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Folds a batch of metrics into one delta per rollup row (workflow, metric type, grouping, level, bucket), so that a
 * batch costs one upserted row per distinct key however many metrics it holds. Month rows are added to only for the
 * months the batch is given (those listed in {@code rollup_compacted_months}: see {@link RollupRepository}).
 */
public final class RollupBatch {

    /** The 64-bit golden-ratio constant: a multiply by it spreads every input bit over the high bits. */
    private static final long MIX = 0x9E3779B97F4A7C15L;

    /** A rollup row's identity, ordered so that concurrent writers lock rows in the same order. */
    public record Key(UUID workflowId, String metricType, String dimKey, String dimValue, RollupLevel level,
                      Instant bucket) implements Comparable<Key> {

        // Written out rather than chained Comparator.comparing(...): a batch sorts tens of thousands of keys, and
        // the lambda chain was the rollup consumer's hottest code (profiled).
        // Identity first: a batch's metric types and grouping keys are the same few String instances (the wire
        // names and the dimension constants), and String.compareTo scans equal strings to their end.
        @Override
        public int compareTo(Key o) {
            int c = workflowId.compareTo(o.workflowId);
            if (c == 0 && metricType != o.metricType) {
                c = metricType.compareTo(o.metricType);
            }
            if (c == 0 && dimKey != o.dimKey) {
                c = dimKey.compareTo(o.dimKey);
            }
            if (c == 0) {
                c = level.compareTo(o.level);
            }
            if (c == 0) {
                c = bucket.compareTo(o.bucket);
            }
            return c != 0 ? c : dimValue.compareTo(o.dimValue);
        }

        // Written out: the record's generated hashCode hashed the level through Enum.hashCode (an identity hash),
        // a visible share of the fold's CPU for the ~10 keys each metric makes. The bucket's seconds are multiples
        // of 60 (3,600, 86,400) and sequential ids hash to neighbouring values, so a plain 31-polynomial put
        // different keys on the same table slot often enough for HashMap to build tree bins (profiled): the
        // parts are mixed by a 64-bit multiply instead.
        @Override
        public int hashCode() {
            long h = workflowId.getMostSignificantBits() ^ workflowId.getLeastSignificantBits();
            h = (h ^ metricType.hashCode()) * MIX;
            h = (h ^ dimKey.hashCode()) * MIX;
            h = (h ^ dimValue.hashCode()) * MIX;
            h = (h ^ bucket.getEpochSecond() ^ ((long) level.ordinal() << 56)) * MIX;
            return (int) (h ^ (h >>> 32));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && level == k.level && bucket.equals(k.bucket) && workflowId.equals(k.workflowId)
                    && metricType.equals(k.metricType) && dimKey.equals(k.dimKey) && dimValue.equals(k.dimValue);
        }
    }

    /**
     * The metric types whose whole-workflow sums are also kept per UTC hour of each day (day_hour_sums): the usage
     * view's hour-of-day profile.
     */
    public static final Set<MetricType> HOURS_OF_DAY = EnumSet.of(MetricType.EXECUTION_COUNT);

    /** A day_hour_sums row's identity, ordered as its primary key so that writers lock rows in the same order. */
    public record DayKey(UUID workflowId, String metricType, LocalDate day) implements Comparable<DayKey> {

        @Override
        public int compareTo(DayKey o) {
            int c = workflowId.compareTo(o.workflowId);
            if (c == 0) {
                c = metricType.compareTo(o.metricType);
            }
            return c != 0 ? c : day.compareTo(o.day);
        }
    }

    private static final RollupLevel[] MINUTE_HOUR_AND_DAY = {RollupLevel.MINUTE, RollupLevel.HOUR, RollupLevel.DAY};
    private static final RollupLevel[] HOUR_AND_DAY = {RollupLevel.HOUR, RollupLevel.DAY};
    private static final RollupLevel[] DAY_ONLY = {RollupLevel.DAY};

    private final Set<LocalDate> months;
    private final Map<Key, RollupDelta> deltas = new HashMap<>();
    private final Map<DayKey, BigDecimal[]> hourSums = new HashMap<>();
    private final Set<UUID> workflows = new HashSet<>();
    private int metrics;

    public RollupBatch() {
        this(Set.of());
    }

    /** A batch that also adds to the month rows of {@code months} (each named by its first day). */
    public RollupBatch(Set<LocalDate> months) {
        this.months = months;
    }

    /** Adds a metric whose workflow id is already parsed (the caller parses each id once per batch). */
    public void add(AnalyticsMetric metric, UUID workflow) {
        String type = metric.metricType().wire();
        // Rounded, and placed in the sketch, once per metric rather than once per row it counts towards.
        BigDecimal stored = RollupDelta.stored(metric.value());
        long micros = RollupDelta.micros(stored);
        double value = stored.doubleValue();
        int slot = QuantileSketch.slot(value);
        RollupLevel[] levels = levelsFor(metric.timestamp());
        List<String[]> groupings = Groupings.of(metric);
        for (RollupLevel level : levels) {
            Instant bucket = level.bucket(metric.timestamp());
            for (String[] grouping : groupings) {
                Key key = new Key(workflow, type, grouping[0], grouping[1], level, bucket);
                deltas.computeIfAbsent(key, k -> new RollupDelta()).add(stored, micros, value, slot);
            }
        }
        if (!months.isEmpty() && months.contains(RollupLevel.month(metric.timestamp()))) {
            Instant month = RollupLevel.MONTH.bucket(metric.timestamp());
            for (String[] grouping : groupings) {
                Key key = new Key(workflow, type, grouping[0], grouping[1], RollupLevel.MONTH, month);
                deltas.computeIfAbsent(key, k -> new RollupDelta()).add(stored, micros, value, slot);
            }
        }
        if (HOURS_OF_DAY.contains(metric.metricType())) {
            Instant t = metric.timestamp();
            BigDecimal[] sums = hourSums.computeIfAbsent(
                    new DayKey(workflow, type, LocalDate.ofInstant(t, ZoneOffset.UTC)), k -> zeros());
            int hour = t.atZone(ZoneOffset.UTC).getHour();
            sums[hour] = sums[hour].add(stored);
        }
        metrics++;
    }

    /**
     * Records that the batch held a metric of this workflow, counted or a duplicate: a batch redelivered because
     * the replica that committed it died before invalidating must still invalidate that workflow's views.
     */
    public void touch(UUID workflow) {
        workflows.add(workflow);
    }

    /**
     * The levels below month a metric of this time is rolled up at: none finer than its retention horizons allow.
     */
    static RollupLevel[] levelsFor(Instant timestamp) {
        if (!timestamp.isBefore(RollupRetention.horizon(RollupLevel.MINUTE))) {
            return MINUTE_HOUR_AND_DAY;
        }
        return timestamp.isBefore(RollupRetention.horizon(RollupLevel.HOUR)) ? DAY_ONLY : HOUR_AND_DAY;
    }

    /** The rows to upsert, in key order. */
    public List<Map.Entry<Key, RollupDelta>> sortedDeltas() {
        List<Map.Entry<Key, RollupDelta>> out = new ArrayList<>(deltas.entrySet());
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    /** The day_hour_sums rows to add to, in key order: each day's 24 sums, hour 0 first. */
    public List<Map.Entry<DayKey, BigDecimal[]>> sortedHourSums() {
        List<Map.Entry<DayKey, BigDecimal[]>> out = new ArrayList<>(hourSums.entrySet());
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    private static BigDecimal[] zeros() {
        BigDecimal[] out = new BigDecimal[24];
        Arrays.fill(out, BigDecimal.ZERO);
        return out;
    }

    /** Every workflow {@link #touch touched}, duplicates' too. */
    public Set<UUID> workflows() {
        return workflows;
    }

    public int metrics() {
        return metrics;
    }

    public boolean isEmpty() {
        return metrics == 0;
    }
}
