package io.workflowanalytics.realtime.stream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.workflowanalytics.common.events.StreamEventType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One envelope as it goes out, encoded once for every subscriber of its workflow. It keeps one copy of the
 * StreamEvent JSON (the replay window holds thousands of these), laid out as the SSE frame that carries it:
 * {@code id:} (unless 0) and {@code event:} lines, {@code data: }, the JSON, a blank line. A WebSocket text frame is
 * a two-byte-to-ten-byte header followed by a view of the same JSON bytes. A subscriber is handed read-only views of
 * these, never a copy. Id 0 marks the gateway's own notices and keep-alives, which carry no SSE {@code id:} line.
 */
public final class StreamMessage {

    private static final byte[] KEEP_ALIVE_FRAME = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final long id;
    private final StreamEventType type;
    /** The SSE frame, with the JSON at [jsonStart, jsonStart + jsonLength). */
    private final byte[] sse;
    private final int jsonStart;
    private final int jsonLength;
    /** Header and JSON as one WebSocket frame; made on first use (a workflow may have no WebSocket subscriber). */
    private volatile ByteBuf webSocketFrame;

    /** @param json the StreamEvent JSON as UTF-8, one line (Jackson escapes newlines inside strings); null: keep-alive */
    public StreamMessage(long id, StreamEventType type, byte[] json) {
        this.id = id;
        this.type = type;
        if (type == null) {
            sse = KEEP_ALIVE_FRAME;
            jsonStart = 0;
            jsonLength = 0;
            return;
        }
        byte[] head = ((id > 0 ? "id: " + id + "\n" : "") + "event: " + sseName() + "\ndata: ")
                .getBytes(StandardCharsets.UTF_8);
        sse = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, sse, 0, head.length);
        System.arraycopy(json, 0, sse, head.length, json.length);
        sse[sse.length - 2] = '\n';
        sse[sse.length - 1] = '\n';
        jsonStart = head.length;
        jsonLength = json.length;
    }

    /**
     * A published event: the StreamEvent envelope ({@code id, type, workflowId, payload, timestamp, receivedAt}, in
     * the record's order, absent instants omitted, as {@code EventJson} writes it) written straight into the SSE frame
     * around the payload's JSON as it came from Kafka. Parsing the payload into a tree and serialising it again had
     * cost a quarter of the gateway's CPU at full load.
     *
     * @param payload one JSON value on one line (no raw CR or LF: SSE ends a data line there)
     */
    public static StreamMessage event(long id, StreamEventType type, String workflowId, byte[] payload,
                                      Instant timestamp, Instant receivedAt) {
        String ids = Long.toString(id);
        byte[] head = ("id: " + ids + "\nevent: analytics." + type.wire() + "\ndata: ")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] open = ("{\"id\":\"" + ids + "\",\"type\":\"" + type.wire() + "\",\"workflowId\":\"")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] workflow = JsonStringEncoder.getInstance().quoteAsUTF8(workflowId);
        byte[] payloadKey = "\",\"payload\":".getBytes(StandardCharsets.US_ASCII);
        byte[] close = ((timestamp == null ? "" : ",\"timestamp\":\"" + timestamp + "\"")
                + (receivedAt == null ? "" : ",\"receivedAt\":\"" + receivedAt + "\"") + "}\n\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] sse = new byte[head.length + open.length + workflow.length + payloadKey.length + payload.length
                + close.length];
        int at = put(sse, 0, head);
        at = put(sse, at, open);
        at = put(sse, at, workflow);
        at = put(sse, at, payloadKey);
        at = put(sse, at, payload);
        put(sse, at, close);
        return new StreamMessage(id, type, sse, head.length);
    }

    private static int put(byte[] target, int at, byte[] part) {
        System.arraycopy(part, 0, target, at, part.length);
        return at + part.length;
    }

    private StreamMessage(long id, StreamEventType type, byte[] sse, int jsonStart) {
        this.id = id;
        this.type = type;
        this.sse = sse;
        this.jsonStart = jsonStart;
        this.jsonLength = sse.length - jsonStart - 2;
    }

    /** A message rebuilt from an SSE frame this class made ({@link #copySseTo}), with its JSON at {@code jsonStart}. */
    static StreamMessage ofSseFrame(long id, StreamEventType type, byte[] sse, int jsonStart) {
        return new StreamMessage(id, type, sse, jsonStart);
    }

    /** Length of the SSE frame in bytes. */
    int sseLength() {
        return sse.length;
    }

    /** Where the JSON starts inside the SSE frame. */
    int jsonStart() {
        return jsonStart;
    }

    /** Copies the SSE frame into {@code target} at {@code at}. */
    void copySseTo(byte[] target, int at) {
        System.arraycopy(sse, 0, target, at, sse.length);
    }

    public long id() {
        return id;
    }

    public StreamEventType type() {
        return type;
    }

    /** The JSON as text (decoded on each call: only for paths that cannot write bytes). */
    public String json() {
        return new String(sse, jsonStart, jsonLength, StandardCharsets.UTF_8);
    }

    public String sseName() {
        return "analytics." + type.wire();
    }

    /** The SSE frame: a view of its own over the shared bytes. */
    public ByteBuf sseFrame() {
        return Unpooled.wrappedBuffer(sse);
    }

    /**
     * The whole WebSocket text frame a server sends (RFC 6455 §5.2: FIN, opcode 1, unmasked, the payload length in 7,
     * 16 or 64 bits), ready to go to the socket as it is: a view of its own over the shared header and JSON.
     */
    public ByteBuf webSocketFrame() {
        ByteBuf frame = webSocketFrame;
        if (frame == null) {
            // Unreleasable: Netty releases what it wrote, and every subscriber's view shares this one buffer.
            frame = Unpooled.unreleasableBuffer(Unpooled.unmodifiableBuffer(
                    Unpooled.wrappedBuffer(webSocketHeader(jsonLength)),
                    Unpooled.wrappedBuffer(sse, jsonStart, jsonLength)));
            webSocketFrame = frame;
        }
        return frame.duplicate();
    }

    private static byte[] webSocketHeader(int length) {
        if (length < 126) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length <= 0xFFFF) {
            return new byte[] {(byte) 0x81, 126, (byte) (length >>> 8), (byte) length};
        }
        byte[] header = new byte[10];
        header[0] = (byte) 0x81;
        header[1] = 127;
        for (int i = 0; i < 8; i++) {
            header[9 - i] = (byte) ((long) length >>> (8 * i));
        }
        return header;
    }

    /** The WebSocket frames of several messages as one buffer for one write, without copying their JSON. */
    static ByteBuf webSocketFrames(List<StreamMessage> messages) {
        return joined(messages, StreamMessage::webSocketFrame);
    }

    /** The SSE frames of several messages as one buffer for one write, without copying their JSON. */
    static Buffer sseFrames(List<StreamMessage> messages) {
        return Buffer.buffer(joined(messages, StreamMessage::sseFrame));
    }

    private static ByteBuf joined(List<StreamMessage> messages, Function<StreamMessage, ByteBuf> frame) {
        if (messages.size() == 1) {
            return frame.apply(messages.get(0));
        }
        ByteBuf[] frames = new ByteBuf[messages.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame.apply(messages.get(i));
        }
        return Unpooled.wrappedBuffer(frames.length, frames);
    }
}
