package io.workflowanalytics.realtime.stream;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.impl.WebSocketInternal;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The Netty channel under a websockets-next connection, so that the fan-out can write each event's frame from bytes
 * encoded once and flush once per batch. websockets-next only writes text by encoding the String again for every
 * connection and flushing every frame (measured: most of the gateway's CPU at 100,000 deliveries a second); it keeps
 * the Vert.x WebSocket behind a package-private accessor, and Vert.x Web wraps it once more, hence the reflective
 * steps here, taken once per connection. Where they fail (another Quarkus or Vert.x version), {@link #of} answers
 * null and the subscriber falls back to {@code sendText}; {@code RealtimeStreamTest} checks that the direct path is
 * the one in use.
 */
final class SocketChannels {

    private static final Logger LOG = Logger.getLogger(SocketChannels.class);
    private static final Method WEB_SOCKET = accessor();

    private SocketChannels() {
    }

    /** The connection's channel context, or null when it cannot be reached. */
    static ChannelHandlerContext of(WebSocketConnection connection) {
        if (WEB_SOCKET == null) {
            return null;
        }
        try {
            Object socket = WEB_SOCKET.invoke(connection);
            // Vert.x Web's ServerWebSocketWrapper (and any other wrapper) keeps the real one in a field "delegate"
            for (int depth = 0; depth < 3 && socket != null && !(socket instanceof WebSocketInternal); depth++) {
                Field delegate = socket.getClass().getDeclaredField("delegate");
                delegate.setAccessible(true);
                socket = delegate.get(socket);
            }
            return socket instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("no direct channel for connection %s: %s", connection.id(), e.toString());
            return null;
        }
    }

    private static Method accessor() {
        try {
            Method m = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase")
                    .getDeclaredMethod("webSocket");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("websockets-next connections expose no WebSocket here (%s): frames are written through "
                    + "sendText, encoded per subscriber", e.toString());
            return null;
        }
    }
}
