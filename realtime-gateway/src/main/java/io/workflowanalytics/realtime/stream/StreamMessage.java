package io.workflowanalytics.realtime.stream;

import io.vertx.core.buffer.Buffer;
import io.workflowanalytics.common.events.StreamEventType;

import java.nio.charset.StandardCharsets;

/**
 * One envelope as it goes out: its id and type, the StreamEvent JSON (serialised once, written to every WebSocket
 * subscriber of the workflow) and, made on first use and then shared by every SSE subscriber, its SSE frame.
 * Id 0 marks the gateway's own notices and keep-alives, which carry no SSE {@code id:} line.
 */
public final class StreamMessage {

    private static final Buffer KEEP_ALIVE_FRAME = Buffer.buffer(": keep-alive\n\n");

    private final long id;
    private final StreamEventType type;
    private final String json;
    private volatile Buffer sseFrame;

    public StreamMessage(long id, StreamEventType type, String json) {
        this.id = id;
        this.type = type;
        this.json = json;
    }

    public long id() {
        return id;
    }

    public StreamEventType type() {
        return type;
    }

    public String json() {
        return json;
    }

    public String sseName() {
        return "analytics." + type.wire();
    }

    /** {@code id:} (unless 0), {@code event:} and {@code data:} lines; a comment for a message without a type. */
    public Buffer sseFrame() {
        Buffer frame = sseFrame;
        if (frame == null) {
            if (type == null) {
                frame = KEEP_ALIVE_FRAME;
            } else {
                StringBuilder text = new StringBuilder(json.length() + 64);
                if (id > 0) {
                    text.append("id: ").append(id).append('\n');
                }
                // The JSON is one line: Jackson writes no raw newlines, escaping those inside strings.
                text.append("event: ").append(sseName()).append("\ndata: ").append(json).append("\n\n");
                frame = Buffer.buffer(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            sseFrame = frame;
        }
        return frame;
    }
}
