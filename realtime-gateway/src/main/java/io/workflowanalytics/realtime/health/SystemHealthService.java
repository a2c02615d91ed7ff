package io.workflowanalytics.realtime.health;

import io.quarkus.scheduler.Scheduled;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.events.StreamEventType;
import io.workflowanalytics.common.events.SystemHealth;
import io.workflowanalytics.realtime.live.LiveState;
import io.workflowanalytics.realtime.live.MonitoringEvent;
import io.workflowanalytics.realtime.stream.StreamHub;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Feeds every service's reports on analytics.health (read by the gateway's consumer) into the
 * {@link SystemHealthTracker}, and turns each change it reports (including a service gone silent) into a
 * {@code system_health_changed} event for every subscriber of every workflow and a line in each live workflow's
 * recent events. Also the gateway's answer to "how is the suite".
 */
@ApplicationScoped
public class SystemHealthService implements SystemHealthView {

    private final SystemHealthTracker tracker;
    private final StreamHub hub;
    private final LiveState live;

    public SystemHealthService(SystemHealthTracker tracker, StreamHub hub, LiveState live) {
        this.tracker = tracker;
        this.hub = hub;
        this.live = live;
    }

    /** One service's report. */
    public void report(HealthEvent event, Instant now) {
        tracker.apply(event, now).ifPresent(this::announce);
    }

    /** A service that stopped reporting cannot say so itself. */
    @Scheduled(every = "${wa.realtime.health.expire-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        tracker.expire(Instant.now()).forEach(this::announce);
    }

    @Override
    public SystemHealth current(Instant now) {
        return tracker.snapshot(now);
    }

    private void announce(HealthChange change) {
        Instant now = Instant.now();
        Instant at = change.component().lastChecked() != null ? change.component().lastChecked() : now;
        hub.broadcast(StreamEventType.SYSTEM_HEALTH_CHANGED, EventJson.toBytes(change), at, now);
        HealthStatus status = change.component().status();
        String severity = status == HealthStatus.DOWN || status == HealthStatus.CRITICAL ? "critical"
                : status == HealthStatus.WARNING ? "warning" : "info";
        MonitoringEvent event = new MonitoringEvent(null, StreamEventType.SYSTEM_HEALTH_CHANGED.wire(), at, severity,
                change.component().componentName() + " is " + status.wire()
                        + (change.previous() == null ? "" : " (was " + change.previous().wire() + ")"));
        live.workflows().forEach(w -> live.event(w, event, now));
    }
}
