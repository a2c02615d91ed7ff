package io.workflowanalytics.realtime.live;

import io.workflowanalytics.common.events.Alert;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One workflow's live state on this replica, built from the events it consumed: executions that finished in the
 * last 15 minutes (by their finishedAt, so backfilled history never counts as current), executions running now,
 * open alerts and the recent-events feed. Every structure is bounded. Callers synchronise on the instance.
 */
final class WorkflowLive {

    static final Duration LONGEST_WINDOW = Duration.ofMinutes(15);
    private static final Duration TREND_RECENT = Duration.ofMinutes(5);
    private static final int MAX_OUTCOMES = 100_000;
    private static final int MAX_ACTIVE = 10_000;
    private static final int MAX_FINISHED_IDS = 10_000;
    private static final int MAX_RECENT_EVENTS = 50;
    /** Fewer executions than this on either side of the trend comparison make the trend "stable". */
    private static final int TREND_MIN_SAMPLES = 5;

    private final ArrayDeque<Outcome> outcomes = new ArrayDeque<>();
    private final Map<String, ActiveExecution> active = new LinkedHashMap<>();
    private final LinkedHashSet<String> finishedIds = new LinkedHashSet<>();
    private final Map<String, Alert> openAlerts = new LinkedHashMap<>();
    private final ArrayDeque<MonitoringEvent> recentEvents = new ArrayDeque<>();
    private Instant lastActivity = Instant.EPOCH;

    void execution(ExecutionEvent e, Instant now) {
        lastActivity = now;
        if (e.type() == ExecutionEventType.EXECUTION_STARTED) {
            if (!finishedIds.contains(e.executionId())) { // a start that arrives after its end is not running
                active.put(e.executionId(), new ActiveExecution(e.executionId(), e.startedAt(), 0,
                        e.workflowVersion(), e.environment(), e.userId(), e.region(), e.deviceType()));
                trim(active, MAX_ACTIVE);
            }
            return;
        }
        active.remove(e.executionId());
        finishedIds.add(e.executionId());
        if (finishedIds.size() > MAX_FINISHED_IDS) {
            Iterator<String> oldest = finishedIds.iterator();
            oldest.next();
            oldest.remove();
        }
        Instant finished = e.finishedAt() != null ? e.finishedAt() : e.occurredAt();
        if (finished == null || finished.isBefore(now.minus(LONGEST_WINDOW))) {
            return;
        }
        ExecutionEvent.ResourceUsage r = e.resourceUsage();
        outcomes.addLast(new Outcome(finished, e.durationMs(), e.type() == ExecutionEventType.EXECUTION_COMPLETED,
                r == null ? null : r.cpuPercent(), r == null ? null : r.memoryMb(),
                r == null ? null : r.networkLatencyMs()));
        while (outcomes.size() > MAX_OUTCOMES) {
            outcomes.removeFirst();
        }
    }

    void alert(Alert alert, Instant now) {
        lastActivity = now;
        if (alert.status() == AlertStatus.RESOLVED) {
            openAlerts.remove(alert.id());
        } else {
            openAlerts.put(alert.id(), alert);
        }
    }

    void event(MonitoringEvent event, Instant now) {
        lastActivity = now;
        recentEvents.addFirst(event);
        while (recentEvents.size() > MAX_RECENT_EVENTS) {
            recentEvents.removeLast();
        }
    }

    /** Drops executions that left the longest window and starts older than {@code activeTtl}. */
    void expire(Instant now, Duration activeTtl) {
        Instant before = now.minus(LONGEST_WINDOW);
        outcomes.removeIf(o -> o.finishedAt.isBefore(before));
        Instant startedBefore = now.minus(activeTtl);
        active.values().removeIf(a -> a.startedAt() == null || a.startedAt().isBefore(startedBefore));
    }

    boolean idleSince(Instant before) {
        return lastActivity.isBefore(before) && active.isEmpty() && openAlerts.isEmpty();
    }

    RealTimeMetrics metrics(Instant now) {
        WindowFigures one = window("1m", now, Duration.ofMinutes(1));
        WindowFigures five = window("5m", now, Duration.ofMinutes(5));
        WindowFigures fifteen = window("15m", now, LONGEST_WINDOW);
        return new RealTimeMetrics(now, one.throughput(), five.averageExecutionTime(), five.successRate(),
                five.errorRate(), trend(now), active.size(), 0, List.of(one, five, fifteen), resources(now));
    }

    List<ActiveExecution> activeExecutions(Instant now, int limit) {
        return active.values().stream()
                .sorted(Comparator.comparing(ActiveExecution::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .limit(limit)
                .map(a -> new ActiveExecution(a.executionId(), a.startedAt(),
                        a.startedAt() == null ? 0 : Math.max(0, Duration.between(a.startedAt(), now).toMillis()),
                        a.workflowVersion(), a.environment(), a.userId(), a.region(), a.deviceType()))
                .toList();
    }

    /** Newest first by when they happened: events of different topics arrive in no particular order. */
    List<MonitoringEvent> recentEvents() {
        List<MonitoringEvent> events = new ArrayList<>(recentEvents);
        events.sort(Comparator.comparing(MonitoringEvent::timestamp, Comparator.nullsLast(Comparator.reverseOrder())));
        return events;
    }

    List<Alert> openAlerts() {
        List<Alert> alerts = new ArrayList<>(openAlerts.values());
        alerts.sort(Comparator.comparing(Alert::timestamp, Comparator.nullsLast(Comparator.reverseOrder())));
        return alerts;
    }

    int activeCount() {
        return active.size();
    }

    private List<Outcome> within(Instant from, Instant to) {
        return outcomes.stream().filter(o -> !o.finishedAt.isBefore(from) && !o.finishedAt.isAfter(to)).toList();
    }

    private WindowFigures window(String name, Instant now, Duration length) {
        List<Outcome> in = within(now.minus(length), now);
        long n = in.size();
        long succeeded = in.stream().filter(o -> o.succeeded).count();
        double[] durations = in.stream().filter(o -> o.durationMs != null).mapToDouble(o -> o.durationMs)
                .sorted().toArray();
        double mean = durations.length == 0 ? 0 : Arrays.stream(durations).sum() / durations.length;
        // Nearest rank, as the views' exact percentiles (docs/views/performance.md).
        double p95 = durations.length == 0 ? 0 : durations[(int) Math.floor(0.95 * (durations.length - 1))];
        return new WindowFigures(name, n, n / (double) length.toMinutes(), mean, p95,
                n == 0 ? 0 : succeeded / (double) n, n == 0 ? 0 : (n - succeeded) / (double) n);
    }

    /**
     * degrading when the last five minutes fail more often (error rate up by at least 5 points) or run slower
     * (mean duration up by at least 10 %) than the ten minutes before them; improving for the reverse; else stable.
     */
    private String trend(Instant now) {
        List<Outcome> recent = within(now.minus(TREND_RECENT), now);
        List<Outcome> before = within(now.minus(LONGEST_WINDOW), now.minus(TREND_RECENT).minusNanos(1));
        if (recent.size() < TREND_MIN_SAMPLES || before.size() < TREND_MIN_SAMPLES) {
            return "stable";
        }
        double errorDelta = errorRate(recent) - errorRate(before);
        double timeRatio = meanDuration(recent) / Math.max(meanDuration(before), 1e-9);
        if (errorDelta >= 0.05 || timeRatio >= 1.10) {
            return "degrading";
        }
        if (errorDelta <= -0.05 || timeRatio <= 1 / 1.10) {
            return "improving";
        }
        return "stable";
    }

    private RealTimeResources resources(Instant now) {
        List<Outcome> in = within(now.minus(TREND_RECENT), now);
        return new RealTimeResources(mean(in, o -> o.cpuPercent), mean(in, o -> o.memoryMb),
                mean(in, o -> o.networkLatencyMs), in.size());
    }

    private static Double mean(List<Outcome> in, java.util.function.Function<Outcome, Double> field) {
        double[] values = in.stream().map(field).filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        return values.length == 0 ? null : Arrays.stream(values).sum() / values.length;
    }

    private static double errorRate(List<Outcome> in) {
        return in.stream().filter(o -> !o.succeeded).count() / (double) in.size();
    }

    private static double meanDuration(List<Outcome> in) {
        return in.stream().filter(o -> o.durationMs != null).mapToDouble(o -> o.durationMs).average().orElse(0);
    }

    private static <K, V> void trim(Map<K, V> map, int max) {
        Iterator<K> oldest = map.keySet().iterator();
        while (map.size() > max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private record Outcome(Instant finishedAt, Double durationMs, boolean succeeded, Double cpuPercent,
                           Double memoryMb, Double networkLatencyMs) {
    }
}
