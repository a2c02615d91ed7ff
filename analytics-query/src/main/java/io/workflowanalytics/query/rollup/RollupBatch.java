package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.AnalyticsMetric;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Folds a batch of metrics into one delta per rollup row (workflow, metric type, grouping, level, bucket), so that a
 * batch costs one upserted row per distinct key however many metrics it holds.
 */
public final class RollupBatch {

    /** A rollup row's identity, ordered so that concurrent writers lock rows in the same order. */
    public record Key(UUID workflowId, String metricType, String dimKey, String dimValue, RollupLevel level,
                      Instant bucket) implements Comparable<Key> {

        // Written out rather than chained Comparator.comparing(...): a batch sorts tens of thousands of keys, and
        // the lambda chain was the rollup consumer's hottest code (profiled).
        @Override
        public int compareTo(Key o) {
            int c = workflowId.compareTo(o.workflowId);
            if (c == 0) {
                c = metricType.compareTo(o.metricType);
            }
            if (c == 0) {
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
    }

    private static final RollupLevel[] HOUR_AND_DAY = {RollupLevel.HOUR, RollupLevel.DAY};
    private static final RollupLevel[] DAY_ONLY = {RollupLevel.DAY};

    private final Map<Key, RollupDelta> deltas = new HashMap<>();
    private final Set<UUID> workflows = new HashSet<>();
    private int metrics;

    /** Adds a metric whose workflow id is already parsed (the caller parses each id once per batch). */
    public void add(AnalyticsMetric metric, UUID workflow) {
        String type = metric.metricType().wire();
        // Rounded, and placed in the sketch, once per metric rather than once per row it counts towards.
        BigDecimal stored = RollupDelta.stored(metric.value());
        double value = stored.doubleValue();
        int slot = QuantileSketch.slot(value);
        RollupLevel[] levels = levelsFor(metric.timestamp());
        for (String[] grouping : Groupings.of(metric)) {
            for (RollupLevel level : levels) {
                Key key = new Key(workflow, type, grouping[0], grouping[1], level, level.bucket(metric.timestamp()));
                deltas.computeIfAbsent(key, k -> new RollupDelta()).add(stored, value, slot);
            }
        }
        workflows.add(workflow);
        metrics++;
    }

    /** The levels a metric of this time is rolled up at: none finer than its retention horizons allow. */
    static RollupLevel[] levelsFor(Instant timestamp) {
        if (!timestamp.isBefore(RollupRetention.horizon(RollupLevel.MINUTE))) {
            return RollupLevel.values();
        }
        return timestamp.isBefore(RollupRetention.horizon(RollupLevel.HOUR)) ? DAY_ONLY : HOUR_AND_DAY;
    }

    /** The rows to upsert, in key order. */
    public List<Map.Entry<Key, RollupDelta>> sortedDeltas() {
        List<Map.Entry<Key, RollupDelta>> out = new ArrayList<>(deltas.entrySet());
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    public Collection<UUID> workflows() {
        return workflows;
    }

    public int metrics() {
        return metrics;
    }

    public boolean isEmpty() {
        return metrics == 0;
    }
}
