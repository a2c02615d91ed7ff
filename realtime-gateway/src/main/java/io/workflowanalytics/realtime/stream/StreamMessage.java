package io.workflowanalytics.realtime.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.workflowanalytics.common.events.StreamEventType;

import java.nio.charset.StandardCharsets;

/**
 * One envelope as it goes out: its id and type and the StreamEvent JSON as UTF-8, serialised once and the only copy
 * kept (the replay window holds thousands of these). Every subscriber of the workflow is written views over those
 * bytes: the payload of a WebSocket text frame, or the middle of an SSE frame between its {@code id:}/{@code event:}
 * lines and the blank line that ends it. Id 0 marks the gateway's own notices and keep-alives, which carry no SSE
 * {@code id:} line.
 */
public final class StreamMessage {

    private static final byte[] KEEP_ALIVE_FRAME = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final long id;
    private final StreamEventType type;
    private final byte[] utf8;

    /** @param utf8 the StreamEvent JSON, one line (Jackson escapes newlines inside strings) */
    public StreamMessage(long id, StreamEventType type, byte[] utf8) {
        this.id = id;
        this.type = type;
        this.utf8 = utf8;
    }

    public long id() {
        return id;
    }

    public StreamEventType type() {
        return type;
    }

    /** The JSON as text (decoded again on each call: only for paths that cannot write bytes). */
    public String json() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * The whole WebSocket text frame a server sends (RFC 6455 §5.2: FIN, opcode 1, unmasked, the payload length in 7,
     * 16 or 64 bits), as a view over a small header and the JSON's bytes, ready to go to the socket as it is.
     */
    public ByteBuf webSocketFrame() {
        int length = utf8.length;
        byte[] header;
        if (length < 126) {
            header = new byte[] {(byte) 0x81, (byte) length};
        } else if (length <= 0xFFFF) {
            header = new byte[] {(byte) 0x81, 126, (byte) (length >>> 8), (byte) length};
        } else {
            header = new byte[10];
            header[0] = (byte) 0x81;
            header[1] = 127;
            for (int i = 0; i < 8; i++) {
                header[9 - i] = (byte) ((long) length >>> (8 * i));
            }
        }
        return Unpooled.wrappedBuffer(header, utf8);
    }

    /** The WebSocket frames of several messages as one buffer for one write, without copying their JSON. */
    static ByteBuf webSocketFrames(java.util.List<StreamMessage> messages) {
        if (messages.size() == 1) {
            return messages.get(0).webSocketFrame();
        }
        ByteBuf[] frames = new ByteBuf[messages.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = messages.get(i).webSocketFrame();
        }
        return Unpooled.wrappedBuffer(frames.length, frames);
    }

    public String sseName() {
        return "analytics." + type.wire();
    }

    /**
     * The SSE frame: {@code id:} (unless 0), {@code event:} and {@code data:} lines; a comment for a message without a
     * type. A view over the JSON's bytes with a small header of its own.
     */
    public ByteBuf sseFrame() {
        if (type == null) {
            return Unpooled.wrappedBuffer(KEEP_ALIVE_FRAME);
        }
        String head = (id > 0 ? "id: " + id + "\n" : "") + "event: " + sseName() + "\ndata: ";
        return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.UTF_8), utf8, FRAME_END);
    }

    /** The SSE frames of several messages as one buffer for one write, without copying their JSON. */
    static Buffer sseFrames(java.util.List<StreamMessage> messages) {
        if (messages.size() == 1) {
            return Buffer.buffer(messages.get(0).sseFrame());
        }
        ByteBuf[] frames = new ByteBuf[messages.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = messages.get(i).sseFrame();
        }
        return Buffer.buffer(Unpooled.wrappedBuffer(frames.length, frames));
    }
}
