package io.workflowanalytics.realtime.health;

import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.events.OverallHealth;
import io.workflowanalytics.common.events.SystemHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.workflowanalytics.common.events.HealthStatus.CRITICAL;
import static io.workflowanalytics.common.events.HealthStatus.DOWN;
import static io.workflowanalytics.common.events.HealthStatus.HEALTHY;
import static io.workflowanalytics.common.events.HealthStatus.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemHealthTrackerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration STALE = Duration.ofSeconds(90);

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static HealthEvent report(String service, HealthStatus status, long atSecond) {
        double score = switch (status) {
            case HEALTHY -> 100.0;
            case WARNING -> 80.0;
            case CRITICAL -> 40.0;
            case DOWN -> 0.0;
        };
        return new HealthEvent(UUID.randomUUID().toString(), 1, t(atSecond), HealthEvent.TYPE, service, null,
                new ComponentHealth(service, status, 12.5, 0.0, t(atSecond), score));
    }

    private static Optional<HealthChange> apply(SystemHealthTracker tracker, String service, HealthStatus status,
                                                long atSecond) {
        return tracker.apply(report(service, status, atSecond), t(atSecond));
    }

    @Test
    void scriptedTimelineGivesExactUptimeMttrAndMtbf() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        assertEquals(Optional.empty(), apply(tracker, "analytics-query", HEALTHY, 0));
        assertEquals(Optional.empty(), apply(tracker, "metrics-ingest", HEALTHY, 0));
        // episode 1: 100 s → 160 s (60 s)
        HealthChange critical = apply(tracker, "analytics-query", CRITICAL, 100).orElseThrow();
        assertEquals(HEALTHY, critical.previous());
        assertEquals(OverallHealth.UNHEALTHY, critical.after().overall());
        assertEquals(t(100), critical.after().lastIncident());
        assertEquals(HEALTHY, apply(tracker, "analytics-query", HEALTHY, 160).orElseThrow().component().status());
        // episode 2: 400 s → 430 s (30 s); a warning ends it (degraded is not unhealthy)
        apply(tracker, "metrics-ingest", DOWN, 400).orElseThrow();
        HealthChange warning = apply(tracker, "metrics-ingest", WARNING, 430).orElseThrow();
        assertEquals(DOWN, warning.previous());
        assertEquals(OverallHealth.DEGRADED, warning.after().overall());
        apply(tracker, "metrics-ingest", HEALTHY, 500).orElseThrow();

        SystemHealth at1000 = tracker.snapshot(t(1000));
        assertEquals(OverallHealth.HEALTHY, at1000.overall());
        assertEquals(91.0, at1000.uptime());            // 90 s unhealthy of 1000
        assertEquals(t(400), at1000.lastIncident());
        assertEquals(45.0, at1000.mttr());              // (60 + 30) / 2
        assertEquals(300.0, at1000.mtbf());             // 400 − 100

        // episode 3 starts at 1100 s and is still going on at 1250 s
        apply(tracker, "analytics-query", DOWN, 1100).orElseThrow();
        SystemHealth at1250 = tracker.snapshot(t(1250));
        assertEquals(OverallHealth.UNHEALTHY, at1250.overall());
        assertEquals(80.8, at1250.uptime());            // (90 + 150) s unhealthy of 1250
        assertEquals(t(1100), at1250.lastIncident());
        assertEquals(45.0, at1250.mttr());              // the ongoing episode is not a recovery yet
        assertEquals(500.0, at1250.mtbf());             // (1100 − 100) / 2
    }

    @Test
    void freshTrackerIsHealthyWithFullUptimeAndNoIncident() {
        SystemHealth health = new SystemHealthTracker(STALE, T0).snapshot(T0);
        assertEquals(new SystemHealth(OverallHealth.HEALTHY, List.of(), 100.0, null, 0.0, 0.0), health);
    }

    @Test
    void firstSightIsAChangeOnlyWhenNotHealthy() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        assertEquals(Optional.empty(), apply(tracker, "reports-service", HEALTHY, 1));
        HealthChange first = apply(tracker, "analytics-query", WARNING, 2).orElseThrow();
        assertNull(first.previous());
        assertEquals(OverallHealth.DEGRADED, first.after().overall());
        // a heartbeat of the same status is no change
        assertEquals(Optional.empty(), apply(tracker, "analytics-query", WARNING, 32));
    }

    @Test
    void componentSilentForLongerThanStaleAfterBecomesDownAndRecoversWithItsNextReport() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        apply(tracker, "analytics-query", HEALTHY, 0);
        apply(tracker, "metrics-ingest", HEALTHY, 0);
        apply(tracker, "analytics-query", HEALTHY, 60);
        assertEquals(List.of(), tracker.expire(t(90)));   // exactly 90 s old is not older than staleAfter

        List<HealthChange> expired = tracker.expire(t(91));
        assertEquals(1, expired.size());
        HealthChange down = expired.get(0);
        assertEquals(new ComponentHealth("metrics-ingest", DOWN, null, null, t(91), 0.0), down.component());
        assertEquals(HEALTHY, down.previous());
        assertEquals(OverallHealth.UNHEALTHY, down.after().overall());
        assertEquals(t(91), down.after().lastIncident());
        assertEquals(List.of(), tracker.expire(t(95)));   // already down

        HealthChange back = apply(tracker, "metrics-ingest", HEALTHY, 100).orElseThrow();
        assertEquals(DOWN, back.previous());
        assertEquals(OverallHealth.HEALTHY, back.after().overall());
        assertEquals(9.0, back.after().mttr());
        assertEquals(91.0, back.after().uptime());       // 9 s unhealthy of 100
    }

    @Test
    void expiredComponentsComeInNameOrderEachWithTheSystemAfterItsOwnChange() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        apply(tracker, "sharing-service", HEALTHY, 0);
        apply(tracker, "analytics-query", HEALTHY, 0);
        apply(tracker, "reports-service", HEALTHY, 50);

        List<HealthChange> expired = tracker.expire(t(100));
        assertEquals(List.of("analytics-query", "sharing-service"),
                expired.stream().map(c -> c.component().componentName()).toList());
        assertEquals(List.of(DOWN, HEALTHY, HEALTHY), statuses(expired.get(0).after()));
        assertEquals(List.of(DOWN, HEALTHY, DOWN), statuses(expired.get(1).after()));
        assertEquals(List.of("analytics-query", "reports-service", "sharing-service"),
                expired.get(1).after().components().stream().map(ComponentHealth::componentName).toList());
        // one episode, not two: the second component went down while the system was already unhealthy
        assertEquals(0.0, expired.get(1).after().mtbf());
    }

    @Test
    void olderReportThanTheOneRecordedIsIgnored() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        apply(tracker, "analytics-query", CRITICAL, 10);
        HealthEvent redelivered = report("analytics-query", HEALTHY, 5);
        assertEquals(Optional.empty(), tracker.apply(redelivered, t(20)));
        assertEquals(CRITICAL, tracker.snapshot(t(20)).components().get(0).status());
        // nor does it count as a sign of life
        assertEquals(1, tracker.expire(t(101)).size());
    }

    @Test
    void timeGoingBackwardsIsTakenAsTheLatestTimeSeen() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        apply(tracker, "analytics-query", DOWN, 100);
        SystemHealth at150 = tracker.snapshot(t(150));
        assertEquals(at150, tracker.snapshot(t(120)));
        assertEquals(100.0 * 100 / 150, at150.uptime());
    }

    @Test
    void onlyTheLatestEpisodesAreKept() {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0, 3);
        // five episodes of 10 s starting every 100 s: 0, 100, 200, 300, 400
        for (int i = 0; i < 5; i++) {
            apply(tracker, "analytics-query", CRITICAL, i * 100L);
            apply(tracker, "analytics-query", HEALTHY, i * 100L + 10 + i);   // durations 10, 11, 12, 13, 14 s
        }
        SystemHealth health = tracker.snapshot(t(500));
        assertEquals(t(400), health.lastIncident());
        assertEquals(13.0, health.mttr());     // (12 + 13 + 14) / 3, the kept episodes
        assertEquals(100.0, health.mtbf());    // (400 − 200) / 2
        assertEquals(88.0, health.uptime());   // 60 s unhealthy of 500, all episodes counted
    }

    @Test
    void concurrentReportsAreAllRecorded() throws Exception {
        SystemHealthTracker tracker = new SystemHealthTracker(STALE, T0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String name = "service-" + (i % 16);
                long second = i;
                done.add(pool.submit(() -> tracker.apply(report(name, WARNING, second), t(second))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        SystemHealth health = tracker.snapshot(t(100));
        assertEquals(16, health.components().size());
        assertTrue(health.components().stream().allMatch(c -> c.status() == WARNING));
        assertEquals(OverallHealth.DEGRADED, health.overall());
    }

    private static List<HealthStatus> statuses(SystemHealth health) {
        return health.components().stream().map(ComponentHealth::status).toList();
    }
}
