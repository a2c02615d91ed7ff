package io.workflowanalytics.realtime.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

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
        SocketSubscriber subscriber = SocketSubscriber.of(workflowId, connection, config, Vertx.currentContext());
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

    /**
     * Writes to one WebSocket connection: each message as a text frame over the bytes its StreamMessage encoded once,
     * the batch's frames written to the connection's channel as one buffer, on its event loop. Without the channel (see
     * {@link SocketChannels}) it writes through websockets-next instead, one encoded String per frame.
     */
    static final class SocketSubscriber extends Subscriber {
        static final io.quarkus.websockets.next.UserData.TypedKey<SocketSubscriber> KEY =
                new io.quarkus.websockets.next.UserData.TypedKey<>("subscriber");

        private final WebSocketConnection connection;
        /** Null when the frames go through {@code connection.sendText}. */
        private final Channel channel;

        private SocketSubscriber(String workflowId, WebSocketConnection connection, StreamConfig config,
                                 Channel channel, Executor executor) {
            super(workflowId, config.queueCapacity(), config.maxBatch(), config.maxInFlight(), executor);
            this.connection = connection;
            this.channel = channel;
        }

        /** @param context the connection's Vert.x context (@OnOpen runs on it), for the fallback path */
        static SocketSubscriber of(String workflowId, WebSocketConnection connection, StreamConfig config,
                                   Context context) {
            ChannelHandlerContext direct = SocketChannels.of(connection);
            if (direct != null) {
                Channel channel = direct.channel();
                return new SocketSubscriber(workflowId, connection, config, channel, channel.eventLoop());
            }
            return new SocketSubscriber(workflowId, connection, config, null,
                    task -> context.runOnContext(v -> task.run()));
        }

        /** Whether this subscriber writes frames to the channel directly. */
        boolean direct() {
            return channel != null;
        }

        /** One text message per event; a connection completes its writes in order, so the last one stands for all. */
        @Override
        protected CompletionStage<?> transmit(List<StreamMessage> batch) {
            int last = batch.size() - 1;
            if (channel == null) {
                for (int i = 0; i < last; i++) {
                    connection.sendText(batch.get(i).json()).subscribe().with(v -> { }, e -> { });
                }
                return connection.sendText(batch.get(last).json()).subscribeAsCompletionStage();
            }
            // Whole frames, encoded already: one buffer, one write, one flush for the batch. They pass the WebSocket
            // encoder untouched (it only encodes frame objects); with permessage-deflate agreed they go uncompressed,
            // which RFC 7692 allows per message (RSV1 clear).
            CompletableFuture<Void> written = new CompletableFuture<>();
            channel.writeAndFlush(StreamMessage.webSocketFrames(batch)).addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(f.cause());
                }
            });
            return written;
        }

        @Override
        protected void disconnect(String reason) {
            if (connection.isOpen()) {
                connection.close(new CloseReason(CLOSE_TOO_SLOW, reason)).subscribe().with(v -> { }, e -> { });
            }
        }
    }
}
