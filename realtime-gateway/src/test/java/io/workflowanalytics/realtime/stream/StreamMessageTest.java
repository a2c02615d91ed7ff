package io.workflowanalytics.realtime.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.StreamEvent;
import io.workflowanalytics.common.events.StreamEventType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frames the gateway encodes itself, read back by Netty's own WebSocket and plain decoding. */
class StreamMessageTest {

    @Test
    void webSocketFramesOfEveryLengthEncodingDecodeToTheirText() {
        // 7-bit lengths end at 125, 16-bit at 65,535; multi-byte characters count as their bytes
        List<StreamMessage> messages = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 200_000}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            texts.add(text);
            messages.add(new StreamMessage(length + 1, StreamEventType.METRIC_UPDATE,
                    text.getBytes(StandardCharsets.UTF_8)));
        }
        // twice: every subscriber is written views of the same bytes, and Netty releases each view after writing it
        for (int subscriber = 0; subscriber < 2; subscriber++) {
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, true, 1 << 20));
            ByteBuf written = StreamMessage.webSocketFrames(messages);
            client.writeInbound(written);
            for (String text : texts) {
                TextWebSocketFrame frame = client.readInbound();
                assertTrue(frame.isFinalFragment());
                assertEquals(text, frame.text());
                frame.release();
            }
            assertNull(client.readInbound());
        }
        assertEquals(texts.get(2), ((TextWebSocketFrame) decodeOne(messages.get(2).webSocketFrame())).text());
    }

    @Test
    void sseFramesCarryIdEventAndDataLinesOverTheSameBytes() {
        byte[] json = "{\"type\":\"metric_update\",\"note\":\"naïve\"}".getBytes(StandardCharsets.UTF_8);
        StreamMessage event = new StreamMessage(42, StreamEventType.METRIC_UPDATE, json);
        StreamMessage notice = new StreamMessage(0, StreamEventType.EVENTS_SKIPPED, "{}".getBytes(StandardCharsets.UTF_8));
        String frames = StreamMessage.sseFrames(List.of(event, notice, Subscriber.KEEP_ALIVE)).toString(StandardCharsets.UTF_8);
        assertEquals("id: 42\nevent: analytics.metric_update\ndata: {\"type\":\"metric_update\",\"note\":\"naïve\"}\n\n"
                + "event: analytics.events_skipped\ndata: {}\n\n: keep-alive\n\n", frames);
        assertEquals("{\"type\":\"metric_update\",\"note\":\"naïve\"}", event.json());
    }

    @Test
    void anEventsEnvelopeIsWhatJacksonWritesForTheStreamEventAroundThePayloadsOwnBytes() throws Exception {
        ObjectMapper json = EventJson.mapper();
        Instant timestamp = Instant.parse("2026-12-02T10:15:30.123456789Z");
        Instant receivedAt = Instant.parse("2026-12-02T10:15:31Z");
        byte[] payload = "{\"id\":\"m-1\",\"value\":12.5,\"dimensions\":{\"region\":\"São Paulo ✓\",\"q\":\"a\\\"b\"}}"
                .getBytes(StandardCharsets.UTF_8);
        for (String workflowId : new String[] {"6f1c2b9e-0d4f-4a57-9a43-1c1f0f3b2a10", "odd \"id\" é\\"}) {
            for (Instant[] instants : new Instant[][] {{timestamp, receivedAt}, {timestamp, null}, {null, null}}) {
                StreamMessage message = StreamMessage.event(1733134530000000L, StreamEventType.EXECUTION_FAILED,
                        workflowId, payload, instants[0], instants[1]);
                byte[] expected = EventJson.toBytes(new StreamEvent("1733134530000000",
                        StreamEventType.EXECUTION_FAILED, workflowId, json.readTree(payload), instants[0], instants[1]));
                assertEquals(new String(expected, StandardCharsets.UTF_8), message.json());
                String sse = StreamMessage.sseFrames(List.of(message)).toString(StandardCharsets.UTF_8);
                assertEquals("id: 1733134530000000\nevent: analytics.execution_failed\ndata: "
                        + new String(expected, StandardCharsets.UTF_8) + "\n\n", sse);
                TextWebSocketFrame frame = (TextWebSocketFrame) decodeOne(message.webSocketFrame());
                assertEquals(new String(expected, StandardCharsets.UTF_8), frame.text());
                frame.release();
            }
        }
    }

    private static Object decodeOne(ByteBuf frame) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, true, 1 << 20));
        client.writeInbound(frame);
        return client.readInbound();
    }
}
