package io.workflowanalytics.realtime.stream;

import io.workflowanalytics.common.events.StreamEventType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayWindowTest {

    private static final StreamEventType[] TYPES = {StreamEventType.METRIC_UPDATE, StreamEventType.EXECUTION_COMPLETED,
            StreamEventType.ALERT_TRIGGERED};

    @Test
    void keepsTheNewestEventsByteForByteWithinBothBoundsAndNeverLeavesASilentGap() {
        Random random = new Random(7);
        int maxEvents = 50;
        int maxBytes = 20_000;
        int largestFrame = 0;
        ReplayWindow window = new ReplayWindow(maxEvents, maxBytes);
        List<StreamMessage> published = new ArrayList<>();
        for (long id = 1; id <= 5_000; id++) {
            // Mostly small events, now and then one of several kilobytes: the window wraps at every offset.
            int size = random.nextInt(10) == 0 ? 1_000 + random.nextInt(4_000) : 50 + random.nextInt(400);
            StreamMessage message = message(id, TYPES[(int) (id % TYPES.length)], size);
            largestFrame = Math.max(largestFrame, message.sseLength());
            published.add(message);
            window.remember(message, id);

            List<StreamMessage> kept = new ArrayList<>();
            window.forEachAfter(0, kept::add);
            assertEquals(window.size(), kept.size());
            assertTrue(kept.size() <= maxEvents, "at most maxEvents");
            int bytes = kept.stream().mapToInt(StreamMessage::sseLength).sum();
            assertTrue(bytes <= maxBytes, "at most maxBytes");
            // The newest events, consecutive, the newest always kept; everything older is announced as forgotten.
            assertEquals(id, kept.get(kept.size() - 1).id());
            assertEquals(kept.get(0).id() - 1, window.forgottenUpTo(), "no gap without a notice");
            for (int i = 0; i < kept.size(); i++) {
                StreamMessage original = published.get((int) kept.get(i).id() - 1);
                assertArrayEquals(bytes(original), bytes(kept.get(i)), "frame of " + original.id());
                assertEquals(original.type(), kept.get(i).type());
                assertEquals(original.json(), kept.get(i).json());
            }
            if (id > 200 && kept.size() < maxEvents) {
                // Bound by bytes: no more room lost than the tail left at a wrap and a partly overwritten frame.
                assertTrue(bytes + kept.get(0).sseLength() > maxBytes - 2 * largestFrame,
                        "kept " + bytes + " bytes of " + maxBytes);
            }
        }
    }

    @Test
    void theCountBoundsAWindowOfSmallEvents() {
        ReplayWindow window = new ReplayWindow(20, 1 << 20);
        for (long id = 1; id <= 25; id++) {
            window.remember(message(id, StreamEventType.METRIC_UPDATE, 100), id);
        }
        List<Long> ids = new ArrayList<>();
        window.forEachAfter(0, m -> ids.add(m.id()));
        assertEquals(20, ids.size());
        assertEquals(6L, ids.get(0));
        assertEquals(5L, window.forgottenUpTo());
        List<Long> after = new ArrayList<>();
        window.forEachAfter(22, m -> after.add(m.id()));
        assertEquals(List.of(23L, 24L, 25L), after, "only what the client has not seen");
    }

    @Test
    void oldEventsExpireAndAnEventLargerThanTheWindowEmptiesIt() {
        ReplayWindow window = new ReplayWindow(100, 4_096);
        for (long id = 1; id <= 10; id++) {
            window.remember(message(id, StreamEventType.METRIC_UPDATE, 100), 1_000 * id);
        }
        window.expire(5_500);
        assertEquals(5, window.size());
        assertEquals(5L, window.forgottenUpTo());

        window.remember(message(11, StreamEventType.METRIC_UPDATE, 10_000), 11_000);
        assertTrue(window.isEmpty(), "a resume from before it must not skip it silently");
        assertEquals(11L, window.forgottenUpTo());
        window.remember(message(12, StreamEventType.METRIC_UPDATE, 100), 12_000);
        assertEquals(1, window.size());
    }

    private static StreamMessage message(long id, StreamEventType type, int jsonLength) {
        StringBuilder json = new StringBuilder("{\"id\":\"").append(id).append("\",\"v\":\"");
        while (json.length() < jsonLength - 2) {
            json.append((char) ('a' + (json.length() + id) % 26));
        }
        return new StreamMessage(id, type, json.append("\"}").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(StreamMessage m) {
        byte[] b = new byte[m.sseLength()];
        m.copySseTo(b, 0);
        return b;
    }
}
