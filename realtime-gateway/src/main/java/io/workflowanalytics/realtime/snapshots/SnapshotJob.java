package io.workflowanalytics.realtime.snapshots;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.persistence.JsonColumns;
import io.workflowanalytics.realtime.health.SystemHealthView;
import io.workflowanalytics.realtime.live.LiveState;
import io.workflowanalytics.realtime.live.RealtimeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every {@code wa.realtime.snapshot-every}, stores each live workflow's state in realtime.realtime_monitoring (spec:
 * RealTimeMonitor): active executions, system health, open alerts, the live figures, resources and recent events.
 * Every replica holds the same state (each consumes every event) and runs the job; the insert writes at most one row
 * per workflow and period, whichever replica comes first.
 */
@ApplicationScoped
public class SnapshotJob {

    private static final Logger LOG = Logger.getLogger(SnapshotJob.class);

    private final ObjectMapper json = EventJson.mapper();
    private final LiveState live;
    private final SystemHealthView health;
    private final SnapshotRepository repository;
    private final Duration every;

    public SnapshotJob(LiveState live, SystemHealthView health, SnapshotRepository repository,
                       @ConfigProperty(name = "wa.realtime.snapshot-every") Duration every) {
        this.live = live;
        this.health = health;
        this.repository = repository;
        this.every = every;
    }

    @Scheduled(every = "${wa.realtime.snapshot-every}", delayed = "${wa.realtime.snapshot-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run(Instant.now()).onFailure().invoke(e -> LOG.warnf("snapshots not stored: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Stores a snapshot of every workflow with live state; returns the number of rows written. */
    public Uni<Integer> run(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        var systemHealth = health.current(now);
        List<Tuple> rows = new ArrayList<>();
        for (String workflowId : live.workflows()) {
            RealtimeStatus s = live.status(workflowId, systemHealth, now);
            rows.add(Tuple.from(List.of(UUID.fromString(workflowId), at.atOffset(ZoneOffset.UTC),
                    s.currentMetrics().activeExecutions(), s.currentMetrics().queuedExecutions(),
                    JsonColumns.of(json, s.systemHealth()), JsonColumns.of(json, s.alerts()),
                    JsonColumns.of(json, s.currentMetrics()), JsonColumns.of(json, s.currentMetrics().resources()),
                    JsonColumns.of(json, s.recentEvents()), every.toMillis() / 2)));
        }
        return repository.insert(rows);
    }
}
