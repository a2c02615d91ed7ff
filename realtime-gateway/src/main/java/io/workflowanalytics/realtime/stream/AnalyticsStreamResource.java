package io.workflowanalytics.realtime.stream;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Locale;

/**
 * {@code GET /api/workflows/{workflowId}/analytics/stream}: the workflow's events as Server-Sent Events named
 * {@code analytics.<type>} with {@code id:} lines; a client that reconnects with {@code Last-Event-ID} (EventSource
 * does so itself) first gets what it missed from the bounded replay window. Authenticated and authorised like every
 * {@code /api/**} call (the common filter), with a bearer token or, for EventSource, a stream ticket in the query.
 */
@Path("/api/workflows/{workflowId}/analytics/stream")
@Tag(name = "Real-time streams", description = "Live events of a workflow over SSE and WebSocket")
@RolesAllowed(Roles.VIEWER)
public class AnalyticsStreamResource {

    private final StreamHub hub;
    private final StreamConfig config;

    public AnalyticsStreamResource(StreamHub hub, StreamConfig config) {
        this.hub = hub;
        this.config = config;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live events of a workflow as Server-Sent Events (analytics.metric_update, "
            + "analytics.alert_triggered, analytics.anomaly_detected, analytics.performance_degradation, "
            + "analytics.cost_threshold_exceeded, …)")
    public void stream(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @HeaderParam("Last-Event-ID") @Parameter(description = "Resume after this event id") String lastEventId,
            @QueryParam("lastEventId") @Parameter(description = "Resume after this id (for clients that cannot "
                    + "set headers)") String lastEventIdParam,
            @Context SseEventSink sink,
            @Context Sse sse) {
        Long resumeAfter = eventId(lastEventId != null ? lastEventId : lastEventIdParam);
        SseSubscriber subscriber = new SseSubscriber(workflowId.toLowerCase(Locale.ROOT), sink, sse, config);
        if (!hub.subscribe(subscriber, resumeAfter)) {
            sink.close();
            throw new ProblemException(503, "too-many-subscribers", "Too many subscribers",
                    "This workflow has as many live subscribers on this replica as allowed; retry later", null);
        }
    }

    private static Long eventId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("Last-Event-ID", "must be an event id this stream sent");
        }
    }

    /** Writes to one SSE connection; the first thing written is a comment, so the client sees the stream open. */
    static final class SseSubscriber extends Subscriber {
        private final SseEventSink sink;
        private final Sse sse;

        SseSubscriber(String workflowId, SseEventSink sink, Sse sse, StreamConfig config) {
            super(workflowId, config.queueCapacity(), config.maxInFlight());
            this.sink = sink;
            this.sse = sse;
            offer(KEEP_ALIVE);
        }

        @Override
        protected Uni<Void> transmit(StreamMessage message) {
            if (sink.isClosed()) {
                return Uni.createFrom().failure(new IllegalStateException("closed by the client"));
            }
            OutboundSseEvent event;
            if (message == KEEP_ALIVE) {
                event = sse.newEventBuilder().comment("keep-alive").build();
            } else {
                OutboundSseEvent.Builder builder = sse.newEventBuilder().name(message.sseName())
                        .mediaType(MediaType.TEXT_PLAIN_TYPE).data(message.json());
                if (message.id() > 0) {
                    builder.id(String.valueOf(message.id()));
                }
                event = builder.build();
            }
            return Uni.createFrom().completionStage(() -> sink.send(event)).replaceWithVoid();
        }

        @Override
        protected boolean needsKeepAlive() {
            return true;
        }

        @Override
        protected void disconnect(String reason) {
            if (!sink.isClosed()) {
                sink.close();
            }
        }
    }
}
