package io.workflowanalytics.query.rollup;

import io.workflowanalytics.common.events.AnalyticsMetric;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Folds a batch of metrics into one delta per rollup row (workflow, metric type, grouping, level, bucket), so that a
 * batch costs one upserted row per distinct key however many metrics it holds.
 */
public final class RollupBatch {

    /** A rollup row's identity, ordered so that concurrent writers lock rows in the same order. */
    public record Key(UUID workflowId, String metricType, String dimKey, String dimValue, RollupLevel level,
                      Instant bucket) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::workflowId)
            .thenComparing(Key::metricType).thenComparing(Key::dimKey).thenComparing(Key::level)
            .thenComparing(Key::bucket).thenComparing(Key::dimValue);

    private static final RollupLevel[] HOUR_AND_DAY = {RollupLevel.HOUR, RollupLevel.DAY};
    private static final RollupLevel[] DAY_ONLY = {RollupLevel.DAY};

    private final Map<Key, RollupDelta> deltas = new TreeMap<>(ORDER);
    private final Set<UUID> workflows = new HashSet<>();
    private int metrics;

    public void add(AnalyticsMetric metric) {
        UUID workflow = UUID.fromString(metric.workflowId());
        String type = metric.metricType().wire();
        double value = metric.value();
        RollupLevel[] levels = levelsFor(metric.timestamp());
        for (String[] grouping : Groupings.of(metric)) {
            for (RollupLevel level : levels) {
                Key key = new Key(workflow, type, grouping[0], grouping[1], level, level.bucket(metric.timestamp()));
                deltas.computeIfAbsent(key, k -> new RollupDelta()).add(value);
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

    public Map<Key, RollupDelta> deltas() {
        return deltas;
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
