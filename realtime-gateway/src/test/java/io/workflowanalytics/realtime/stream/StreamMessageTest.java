package io.workflowanalytics.realtime.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.workflowanalytics.common.events.StreamEventType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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

    private static Object decodeOne(ByteBuf frame) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, true, 1 << 20));
        client.writeInbound(frame);
        return client.readInbound();
    }
}
