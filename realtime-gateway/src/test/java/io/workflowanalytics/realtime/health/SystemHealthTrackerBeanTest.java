package io.workflowanalytics.realtime.health;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.testing.RealInfrastructure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gateway has one tracker bean, with the default staleness of 90 s. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class SystemHealthTrackerBeanTest {

    @Inject
    SystemHealthTracker tracker;

    @Test
    void trackerBeanTakesAComponentForDownAfterNinetySecondsOfSilence() {
        String name = "bean-test-" + UUID.randomUUID();
        Instant now = Instant.now();
        tracker.apply(new HealthEvent(UUID.randomUUID().toString(), 1, now, HealthEvent.TYPE, name, null,
                new ComponentHealth(name, HealthStatus.HEALTHY, null, null, now, 100.0)), now);
        assertEquals(0, tracker.expire(now.plusSeconds(90)).stream()
                .filter(c -> c.component().componentName().equals(name)).count());
        assertEquals(1, tracker.expire(now.plusSeconds(91)).stream()
                .filter(c -> c.component().componentName().equals(name)).count());
    }
}
