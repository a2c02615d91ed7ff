package io.workflowanalytics.realtime.health;

import io.workflowanalytics.common.events.SystemHealth;

import java.time.Instant;

/** The suite's health as the gateway knows it now. */
public interface SystemHealthView {

    SystemHealth current(Instant now);
}
