package io.workflowanalytics.realtime.stream;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpServerResponse;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/workflows/{workflowId}/analytics/stream}: the workflow's events as Server-Sent Events named
 * {@code analytics.<type>} with {@code id:} lines; a client that reconnects with {@code Last-Event-ID} (EventSource
 * does so itself) first gets what it missed from the bounded replay window. Authenticated and authorised like every
 * {@code /api/**} call (the common filter), with a bearer token or, for EventSource, a stream ticket in the query.
 * <p>
 * The events are written to the HTTP response directly rather than through JAX-RS's SseEventSink: each event's frame
 * is encoded once for all its subscribers (views over the same bytes), and the events waiting for one subscriber go
 * out in one write.
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
    public Uni<Void> stream(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @HeaderParam("Last-Event-ID") @Parameter(description = "Resume after this event id") String lastEventId,
            @QueryParam("lastEventId") @Parameter(description = "Resume after this id (for clients that cannot "
                    + "set headers)") String lastEventIdParam,
            @jakarta.ws.rs.core.Context HttpServerResponse response) {
        Long resumeAfter = eventId(lastEventId != null ? lastEventId : lastEventIdParam);
        if (hub.subscribers(workflowId.toLowerCase(Locale.ROOT)) >= config.maxSubscribersPerWorkflow()) {
            throw new ProblemException(503, "too-many-subscribers", "Too many subscribers",
                    "This workflow has as many live subscribers on this replica as allowed; retry later", null);
        }
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        SseSubscriber subscriber = new SseSubscriber(workflowId.toLowerCase(Locale.ROOT), response, config,
                Vertx.currentContext());
        if (!hub.subscribe(subscriber, resumeAfter)) {
            subscriber.close("too many subscribers");
        }
        // The stream is this response's whole body, written above and by the subscriber; the result never comes, so
        // JAX-RS never writes a response of its own on top of it. When the connection ends, RESTEasy cancels it: that
        // is where the subscriber goes (a close handler of our own on the response would be replaced by RESTEasy's).
        return Uni.createFrom().<Void>nothing().onCancellation().invoke(() -> {
            subscriber.close("closed by the client");
            hub.unsubscribe(subscriber);
        });
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

    /** Writes to one SSE response; the first thing written is a comment, so the client sees the stream open. */
    static final class SseSubscriber extends Subscriber {
        private final HttpServerResponse response;

        /**
         * @param context the request's context (the resource method runs on it): its event loop, shared by many
         *                connections, is where this subscriber writes
         */
        SseSubscriber(String workflowId, HttpServerResponse response, StreamConfig config, Context context) {
            super(workflowId, config.queueCapacity(), config.maxBatch(), config.maxInFlight(),
                    ((ContextInternal) context).nettyEventLoop());
            this.response = response;
            offer(KEEP_ALIVE);
        }

        @Override
        protected CompletionStage<?> transmit(List<StreamMessage> batch) {
            return response.write(StreamMessage.sseFrames(batch)).toCompletionStage();
        }

        @Override
        protected boolean needsKeepAlive() {
            return true;
        }

        @Override
        protected void disconnect(String reason) {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        }
    }
}
