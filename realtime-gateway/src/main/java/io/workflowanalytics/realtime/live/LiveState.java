package io.workflowanalytics.realtime.live;

import io.quarkus.scheduler.Scheduled;
import io.workflowanalytics.common.events.Alert;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.SystemHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of every workflow this replica has seen events of (each replica consumes every event, so each
 * holds the same state). Fed by the gateway's consumers, read by the real-time status endpoint and the snapshot job.
 */
@ApplicationScoped
public class LiveState {

    private static final int ACTIVE_EXECUTIONS_SHOWN = 100;

    private final Map<String, WorkflowLive> workflows = new ConcurrentHashMap<>();
    private final Duration activeTtl;

    public LiveState(@ConfigProperty(name = "wa.realtime.active-execution-ttl", defaultValue = "1h") Duration activeTtl) {
        this.activeTtl = activeTtl;
    }

    public void execution(ExecutionEvent event, Instant now) {
        update(event.workflowId(), live -> live.execution(event, now));
    }

    public void alert(String workflowId, Alert alert, Instant now) {
        update(workflowId, live -> live.alert(alert, now));
    }

    public void event(String workflowId, MonitoringEvent event, Instant now) {
        update(workflowId, live -> live.event(event, now));
    }

    /**
     * Changes a workflow's state under its lock. Should expire() drop the state between the lookup and the lock (it
     * was idle), the change goes to a fresh one: made to the dropped one it would be lost (an alert never shown as
     * open).
     */
    private void update(String workflowId, java.util.function.Consumer<WorkflowLive> change) {
        while (true) {
            WorkflowLive live = of(workflowId);
            synchronized (live) {
                if (workflows.get(workflowId) == live) {
                    change.accept(live);
                    return;
                }
            }
        }
    }

    /** Workflows with live state here. */
    public Set<String> workflows() {
        return Set.copyOf(workflows.keySet());
    }

    public RealtimeStatus status(String workflowId, SystemHealth health, Instant now) {
        WorkflowLive live = workflows.get(workflowId);
        if (live == null) {
            live = new WorkflowLive();
        }
        synchronized (live) {
            live.expire(now, activeTtl);
            return new RealtimeStatus(workflowId, live.metrics(now), health,
                    live.activeExecutions(now, ACTIVE_EXECUTIONS_SHOWN), live.recentEvents(), live.openAlerts());
        }
    }

    /** Open alerts of a workflow, newest first. */
    public List<Alert> openAlerts(String workflowId) {
        WorkflowLive live = workflows.get(workflowId);
        if (live == null) {
            return List.of();
        }
        synchronized (live) {
            return live.openAlerts();
        }
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        Instant now = Instant.now();
        Instant idleBefore = now.minus(WorkflowLive.LONGEST_WINDOW);
        workflows.forEach((id, live) -> {
            synchronized (live) {
                live.expire(now, activeTtl);
                if (live.idleSince(idleBefore)) {
                    workflows.remove(id, live);
                }
            }
        });
    }

    private WorkflowLive of(String workflowId) {
        return workflows.computeIfAbsent(workflowId, id -> new WorkflowLive());
    }
}
