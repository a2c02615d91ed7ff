package io.workflowanalytics.realtime.health;

import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.events.SystemHealth;

/**
 * A component's status changed, as {@link SystemHealthTracker} saw it: what the gateway turns into a
 * {@code system_health_changed} stream event.
 *
 * @param component the component's health now
 * @param previous  its status before; null when the tracker had not seen the component before
 * @param after     the whole system's health once the change is applied
 */
public record HealthChange(ComponentHealth component, HealthStatus previous, SystemHealth after) {
}
