package io.workflowanalytics.realtime.stream;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code WS /api/workflows/{workflowId}/analytics/realtime/stream}: every event of the workflow as a StreamEvent
 * JSON text message (docs/events/README.md, "Stream envelope"). The handshake is authenticated and authorised by
 * {@link StreamUpgradeCheck}; Quarkus pings idle connections. The client sends nothing; what it sends is ignored.
 */
@WebSocket(path = RealtimeStreamSocket.PATH, endpointId = RealtimeStreamSocket.ENDPOINT_ID)
public class RealtimeStreamSocket {

    public static final String PATH = "/api/workflows/{workflowId}/analytics/realtime/stream";
    public static final String ENDPOINT_ID = "realtime-stream";

    /** Policy violation, with a reason the client can show: the gateway closed a subscriber it could not serve. */
    private static final int CLOSE_TOO_SLOW = 1008;
    private static final int CLOSE_TRY_AGAIN_LATER = 1013;
    private static final Logger LOG = Logger.getLogger(RealtimeStreamSocket.class);

    private final StreamHub hub;
    private final StreamConfig config;

    public RealtimeStreamSocket(StreamHub hub, StreamConfig config) {
        this.hub = hub;
        this.config = config;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        String workflowId = connection.pathParam("workflowId").toLowerCase(java.util.Locale.ROOT);
        SocketSubscriber subscriber = new SocketSubscriber(workflowId, connection, config,
                Vertx.currentContext());
        connection.userData().put(SocketSubscriber.KEY, subscriber);
        if (!hub.subscribe(subscriber, null)) {
            return connection.close(new CloseReason(CLOSE_TRY_AGAIN_LATER, "too many subscribers for this workflow"));
        }
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        SocketSubscriber subscriber = connection.userData().get(SocketSubscriber.KEY);
        if (subscriber != null) {
            subscriber.close("closed by the client");
            hub.unsubscribe(subscriber);
        }
    }

    @OnError
    public void error(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("stream connection %s failed: %s", connection.id(), failure.toString());
    }

    /** Writes to one WebSocket connection. */
    static final class SocketSubscriber extends Subscriber {
        static final io.quarkus.websockets.next.UserData.TypedKey<SocketSubscriber> KEY =
                new io.quarkus.websockets.next.UserData.TypedKey<>("subscriber");

        private final WebSocketConnection connection;

        /** @param context the connection's event loop (@OnOpen runs on it) */
        SocketSubscriber(String workflowId, WebSocketConnection connection, StreamConfig config, Context context) {
            super(workflowId, config.queueCapacity(), config.maxBatch(), config.maxInFlight(),
                    task -> context.runOnContext(v -> task.run()));
            this.connection = connection;
        }

        /** One text message per event; a connection completes its writes in order, so the last one stands for all. */
        @Override
        protected CompletionStage<?> transmit(List<StreamMessage> batch) {
            for (int i = 0; i < batch.size() - 1; i++) {
                connection.sendText(batch.get(i).json()).subscribe().with(v -> { }, e -> { });
            }
            return connection.sendText(batch.get(batch.size() - 1).json()).subscribeAsCompletionStage();
        }

        @Override
        protected void disconnect(String reason) {
            if (connection.isOpen()) {
                connection.close(new CloseReason(CLOSE_TOO_SLOW, reason)).subscribe().with(v -> { }, e -> { });
            }
        }
    }
}
