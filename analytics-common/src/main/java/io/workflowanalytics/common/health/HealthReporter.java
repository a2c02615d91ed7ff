package io.workflowanalytics.common.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.workflowanalytics.common.events.CheckState;
import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.DependencyCheck;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Publishes this service's health on {@code analytics.health}, keyed by {@code quarkus.application.name}: every
 * {@code wa.health.check-every} it evaluates readiness (SmallRye Health, asynchronously, subscribed on a worker
 * because some checks are blocking) and the interval's key figures ({@link ServiceFigures}), maps them to a
 * ComponentHealth ({@link ComponentHealthRules}) and publishes a {@link HealthEvent} when the status differs from
 * the last one published, at the first check after start-up, and as a heartbeat every
 * {@code wa.health.heartbeat-every} (previousStatus = current status).
 * <p>
 * Health must never cost the service its health: {@link HealthPublisher} bounds every wait by
 * {@code wa.health.publish-timeout} and logs once per Kafka outage; checks never overlap (a check still publishing
 * when the next is due is skipped). A report that could not be delivered is not remembered as published, so the
 * next check sends the current state again.
 */
@ApplicationScoped
public class HealthReporter {

    private static final Logger LOG = Logger.getLogger(HealthReporter.class);
    /** Longest wait for the readiness checks; every check has its own shorter deadline (Kafka 3 s, Redis 2 s). */
    static final Duration READINESS_TIMEOUT = Duration.ofSeconds(10);

    private final SmallRyeHealthReporter health;
    private final ServiceFigures figures;
    private final ComponentHealthRules rules;
    private final HealthReportConfig config;
    private final String service;
    private final HealthPublisher publisher;
    // Written only by a check, and checks never overlap.
    private volatile HealthStatus lastPublished;
    private volatile Instant lastPublishedAt;

    public HealthReporter(SmallRyeHealthReporter health, MeterRegistry registry, HealthReportConfig config,
                          @ConfigProperty(name = "quarkus.application.name") String service,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.health = health;
        this.figures = new ServiceFigures(registry);
        this.rules = new ComponentHealthRules(config.thresholds());
        this.config = config;
        this.service = service;
        this.publisher = new HealthPublisher(service, bootstrapServers, config.publishTimeout());
    }

    @Scheduled(identity = "wa-health-report", every = "${wa.health.check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        if (!config.report()) {
            return Uni.createFrom().voidItem();
        }
        return evaluate()
                .chain(this::publishIfDue)
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf(e, "health check of %s failed", service);
                    return null;
                });
    }

    /** The current health of this service, evaluated now (its figures cover the time since the last evaluation). */
    Uni<Report> evaluate() {
        return health.getReadinessAsync()
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(READINESS_TIMEOUT).fail()
                .map(HealthReporter::readiness)
                .onFailure().recoverWithItem(e -> new ReadinessState(false, List.of()))
                .map(readiness -> {
                    ServiceFigures.Sample sample = figures.sample();
                    var observation = new ComponentHealthRules.Observation(readiness.up(), readiness.checks(),
                            sample.errorRate(), sample.responseTimeMs(), sample.consumerLag());
                    return new Report(rules.assess(service, observation, Instant.now()), observation);
                });
    }

    private Uni<Void> publishIfDue(Report report) {
        ComponentHealth component = report.component();
        Instant now = component.lastChecked();
        HealthStatus previous = lastPublished;
        boolean changed = component.status() != previous;
        // Half a check of slack, so that a heartbeat is not put off by a whole check for a few milliseconds.
        boolean heartbeatDue = lastPublishedAt == null || !now.isBefore(lastPublishedAt
                .plus(config.heartbeatEvery()).minus(config.checkEvery().dividedBy(2)));
        if (!changed && !heartbeatDue) {
            return Uni.createFrom().voidItem();
        }
        HealthEvent event = new HealthEvent(UUID.randomUUID().toString(), EventJson.SCHEMA_VERSION, now,
                HealthEvent.TYPE, service, changed ? previous : component.status(), component,
                report.observation().consumerLag(), report.observation().checks());
        return publisher.publish(event).invoke(acknowledged -> {
            if (acknowledged) {
                lastPublished = component.status();
                lastPublishedAt = now;
            }
        }).replaceWithVoid();
    }

    static ReadinessState readiness(SmallRyeHealth readiness) {
        JsonObject payload = readiness.getPayload();
        List<DependencyCheck> checks = new ArrayList<>();
        JsonArray array = payload.getJsonArray("checks");
        if (array != null) {
            for (JsonValue value : array) {
                if (value instanceof JsonObject check) {
                    checks.add(new DependencyCheck(check.getString("name", "unnamed"), state(check)));
                }
            }
        }
        return new ReadinessState(!readiness.isDown(), List.copyOf(checks));
    }

    private static CheckState state(JsonObject check) {
        if (!HealthCheckResponse.Status.UP.name().equals(check.getString("status", ""))) {
            return CheckState.DOWN;
        }
        JsonObject data = check.getJsonObject("data");
        return data != null && "degraded".equalsIgnoreCase(data.getString("status", ""))
                ? CheckState.DEGRADED : CheckState.UP;
    }

    record ReadinessState(boolean up, List<DependencyCheck> checks) {
    }

    record Report(ComponentHealth component, ComponentHealthRules.Observation observation) {
    }

    @PreDestroy
    void close() {
        publisher.close();
    }
}
