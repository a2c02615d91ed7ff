package io.workflowanalytics.realtime.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the gateway's streams buffer, replay and keep connections alive (docs/operations.md, "Real-time streams"). */
@ConfigMapping(prefix = "wa.realtime.stream")
public interface StreamConfig {

    /** Messages waiting per subscriber before it skips ahead. */
    @WithDefault("1000")
    int queueCapacity();

    /** Messages written together at most (one socket write for SSE). */
    @WithDefault("64")
    int maxBatch();

    /** Batches written and not yet completed, per subscriber. */
    @WithDefault("2")
    int maxInFlight();

    /** Recent events kept per workflow for SSE resumption with Last-Event-ID. */
    @WithDefault("500")
    int replayEvents();

    /** Bytes of SSE frames kept per workflow for resumption at most (the window gives up its oldest events first). */
    @WithDefault("1048576")
    int replayBytes();

    /** How far back the replay window reaches at most. */
    @WithDefault("5m")
    Duration replayAge();

    /** A subscriber whose writes have not completed for this long is disconnected. */
    @WithDefault("30s")
    Duration stallTimeout();

    /** Interval of SSE keep-alive comments (WebSocket connections are pinged by Quarkus). */
    @WithDefault("15s")
    Duration heartbeat();

    /** How often slow subscribers are looked for and keep-alives sent (StreamHub.sweep). */
    @WithDefault("5s")
    Duration sweepEvery();

    /** Subscribers a workflow may have on one replica. */
    @WithDefault("2000")
    int maxSubscribersPerWorkflow();
}
