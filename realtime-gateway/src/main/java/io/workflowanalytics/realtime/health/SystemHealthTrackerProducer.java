package io.workflowanalytics.realtime.health;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * The gateway's one {@link SystemHealthTracker}, started when first injected. A component is taken for down after
 * {@code wa.realtime.health.stale-after} (default 90 s: three of the services' 30 s heartbeats) without a report.
 */
@Singleton
public class SystemHealthTrackerProducer {

    @Produces
    @Singleton
    SystemHealthTracker systemHealthTracker(
            @ConfigProperty(name = "wa.realtime.health.stale-after", defaultValue = "90s") Duration staleAfter) {
        return new SystemHealthTracker(staleAfter, Instant.now());
    }
}
