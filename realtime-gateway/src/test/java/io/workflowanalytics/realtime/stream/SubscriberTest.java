package io.workflowanalytics.realtime.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.StreamEventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-subscriber buffer on its own: a fake transport whose writes complete when the test says so. */
class SubscriberTest {

    /** Records what it was asked to write; each batch completes only on {@link #complete(int)}. */
    static final class FakeTransport extends Subscriber {
        final List<StreamMessage> written = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        String disconnectedFor;
        boolean keepAlives;

        FakeTransport(int capacity, int batch, int inFlight) {
            super("wf", capacity, batch, inFlight, Runnable::run);
        }

        @Override
        protected CompletionStage<?> transmit(List<StreamMessage> batch) {
            written.addAll(batch);
            batches.add(batch.size());
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending.add(done);
            return done;
        }

        @Override
        protected void disconnect(String reason) {
            disconnectedFor = reason;
        }

        @Override
        protected boolean needsKeepAlive() {
            return keepAlives;
        }

        void complete(int n) {
            for (int i = 0; i < n; i++) {
                pending.remove(0).complete(null);
            }
        }
    }

    private static StreamMessage message(long id) {
        return new StreamMessage(id, StreamEventType.METRIC_UPDATE,
                ("{\"id\":\"" + id + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theStallClockStartsWithTheFirstOutstandingWriteNotTheLastCompletedOne() throws InterruptedException {
        // A client of a quiet workflow: its last write completed a while ago.
        FakeTransport s = new FakeTransport(10, 1, 2);
        s.offer(message(1));
        s.complete(1);
        Thread.sleep(300);
        Instant before = Instant.now();
        s.offer(message(2)); // the first write in a while, not completed yet
        assertTrue(!s.stalledSince().isBefore(before), "stalled since the write began, not since the last one ended: "
                + s.stalledSince() + " < " + before);
        s.offer(message(3)); // a second write outstanding does not move the clock
        Instant since = s.stalledSince();
        Thread.sleep(5);
        s.offer(message(4)); // queued: both slots busy
        assertEquals(since, s.stalledSince());
    }

    @Test
    void writesInOrderInBatchesWithAtMostMaxInFlightOutstanding() {
        FakeTransport s = new FakeTransport(100, 4, 2);
        for (long id = 1; id <= 10; id++) {
            s.offer(message(id));
        }
        // each offer wrote at once while a batch slot was free; the rest waited and goes in batches of up to 4
        assertEquals(List.of(1, 1), s.batches);
        assertEquals(8 + 2, s.backlog(), "8 waiting, 2 batches in flight");
        s.complete(1);
        assertEquals(List.of(1, 1, 4), s.batches);
        s.complete(2);
        assertEquals(List.of(1, 1, 4, 4), s.batches);
        while (!s.pending.isEmpty()) {
            s.complete(1);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
                s.written.stream().map(StreamMessage::id).toList());
        assertEquals(10, s.delivered());
        assertEquals(0, s.backlog());
        assertNull(s.stalledSince());
    }

    @Test
    void aFullQueueSkipsAheadAndTellsTheClientExactlyWhatItMissed() {
        FakeTransport s = new FakeTransport(5, 1, 1);
        for (long id = 1; id <= 20; id++) {
            s.offer(message(id));
        }
        // 1 is in flight; the queue holds the newest 5 (16..20); 2..15 were dropped
        assertEquals(6, s.backlog());
        while (!s.pending.isEmpty()) {
            s.complete(1);
        }
        List<StreamMessage> w = s.written;
        assertEquals(7, w.size());
        assertEquals(1, w.get(0).id());
        assertEquals(StreamEventType.EVENTS_SKIPPED, w.get(1).type());
        assertEquals(0, w.get(1).id(), "a notice carries no SSE id");
        JsonNode notice = EventJson.fromString(w.get(1).json(), JsonNode.class);
        assertEquals(14, notice.path("payload").path("skipped").asLong());
        assertEquals("2", notice.path("payload").path("fromId").asText());
        assertEquals("15", notice.path("payload").path("toId").asText());
        assertEquals("wf", notice.path("workflowId").asText());
        assertEquals(List.of(16L, 17L, 18L, 19L, 20L), w.subList(2, 7).stream().map(StreamMessage::id).toList());
    }

    @Test
    void aGapFromTheReplayWindowIsAnnouncedWithoutACount() {
        FakeTransport s = new FakeTransport(5, 4, 4);
        s.offerGap(3, 9);
        s.offer(message(10));
        JsonNode notice = EventJson.fromString(s.written.get(0).json(), JsonNode.class);
        assertEquals("events_skipped", notice.path("type").asText());
        assertTrue(notice.path("payload").path("skipped").isMissingNode());
        assertEquals("3", notice.path("payload").path("fromId").asText());
        assertEquals(10, s.written.get(1).id());
    }

    @Test
    void aWriteThatCompletesAtOnceDoesNotDeepenTheStack() {
        Subscriber immediate = new Subscriber("wf", 200_000, 1, 8, Runnable::run) {
            @Override
            protected CompletionStage<?> transmit(List<StreamMessage> batch) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            protected void disconnect(String reason) {
            }
        };
        for (long id = 1; id <= 100_000; id++) {
            immediate.offer(message(id));
        }
        assertEquals(100_000, immediate.delivered());
    }

    @Test
    void aFailedWriteClosesTheSubscriberAndDropsItsQueue() {
        FakeTransport s = new FakeTransport(10, 1, 1);
        s.offer(message(1));
        s.offer(message(2));
        s.pending.remove(0).completeExceptionally(new IllegalStateException("reset by peer"));
        assertTrue(s.isClosed());
        assertEquals("write failed", s.disconnectedFor);
        s.offer(message(3));
        assertEquals(1, s.written.size(), "nothing more is written to a closed subscriber");
    }

    @Test
    void anIdleSseSubscriberGetsAKeepAliveAndAStalledOneShowsSince() throws InterruptedException {
        FakeTransport s = new FakeTransport(10, 2, 2);
        s.keepAlives = true;
        Instant later = Instant.now().plusSeconds(20);
        s.keepAlive(later, Duration.ofSeconds(15));
        assertEquals(1, s.written.size());
        assertTrue(s.written.get(0) == Subscriber.KEEP_ALIVE);
        s.keepAlive(later, Duration.ofSeconds(15));
        assertEquals(1, s.written.size(), "not while a write is outstanding");
        assertTrue(s.stalledSince() != null, "a write outstanding");
        s.complete(1);
        assertNull(s.stalledSince());
    }
}
