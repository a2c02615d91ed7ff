package io.workflowanalytics.realtime.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.workflowanalytics.common.events.StreamEventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub's hand-over of a Kafka batch: one task per event loop, whatever the number of subscribers on it. */
class StreamHubTest {

    private static final byte[] EMPTY = "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** An event loop stand-in: keeps the tasks handed to it until the test runs them. */
    static final class Loop implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    /** Writes complete at once; records the batches it was given. */
    static class Recording extends Subscriber {
        final List<List<Long>> batches = new ArrayList<>();

        Recording(String workflowId, Executor loop) {
            super(workflowId, 100, 64, 2, loop);
        }

        @Override
        protected CompletionStage<?> transmit(List<StreamMessage> batch) {
            batches.add(batch.stream().map(StreamMessage::id).toList());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        protected void disconnect(String reason) {
        }
    }

    @Test
    void aBatchReachesEachEventLoopInOneTaskAndEverySubscriberInOneWrite() {
        StreamHub hub = new StreamHub(config(), new SimpleMeterRegistry());
        Loop first = new Loop();
        Loop second = new Loop();
        List<Recording> onFirst = List.of(new Recording("a", first), new Recording("a", first),
                new Recording("b", first));
        Recording onSecond = new Recording("b", second);
        onFirst.forEach(s -> hub.subscribe(s, null));
        hub.subscribe(onSecond, null);

        try (StreamHub.Batch batch = hub.batch()) {
            for (int i = 0; i < 3; i++) {
                batch.publish("a", StreamEventType.METRIC_UPDATE, EMPTY,
                        Instant.now(), Instant.now());
                batch.publish("b", StreamEventType.METRIC_UPDATE, EMPTY,
                        Instant.now(), Instant.now());
            }
            assertEquals(0, first.tasks.size() + second.tasks.size(), "nothing handed over before the batch ends");
        }
        assertEquals(1, first.tasks.size(), "three subscribers, one loop, one task");
        assertEquals(1, second.tasks.size());
        first.runAll();
        second.runAll();
        for (Recording s : onFirst) {
            assertEquals(1, s.batches.size(), "the batch's events in one write");
            assertEquals(3, s.batches.get(0).size());
        }
        assertEquals(onFirst.get(2).batches, onSecond.batches, "same workflow, same events, same ids");

        // a subscriber whose hand-over is still pending is not handed over twice
        try (StreamHub.Batch batch = hub.batch()) {
            batch.publish("a", StreamEventType.METRIC_UPDATE, EMPTY, Instant.now(),
                    Instant.now());
        }
        try (StreamHub.Batch batch = hub.batch()) {
            batch.publish("a", StreamEventType.METRIC_UPDATE, EMPTY, Instant.now(),
                    Instant.now());
        }
        assertEquals(1, first.tasks.size());
        first.runAll();
        assertEquals(List.of(2), onFirst.get(0).batches.subList(1, 2).stream().map(List::size).toList(),
                "both events in the one pending hand-over");
    }

    /** Like a response another thread has ended: writing throws instead of failing its future. */
    static final class Ended extends Recording {
        final List<String> disconnects = new ArrayList<>();

        Ended(String workflowId, Executor loop) {
            super(workflowId, loop);
        }

        @Override
        protected CompletionStage<?> transmit(List<StreamMessage> batch) {
            throw new IllegalStateException("Response has already been written");
        }

        @Override
        protected void disconnect(String reason) {
            disconnects.add(reason);
        }
    }

    @Test
    void aSubscriberWhoseWriteThrowsIsClosedAndTheOthersOnItsLoopKeepReceiving() {
        StreamHub hub = new StreamHub(config(), new SimpleMeterRegistry());
        Loop loop = new Loop();
        Ended ended = new Ended("a", loop);
        Recording healthy = new Recording("a", loop);
        hub.subscribe(ended, null);
        hub.subscribe(healthy, null);

        for (int round = 1; round <= 3; round++) {
            try (StreamHub.Batch batch = hub.batch()) {
                batch.publish("a", StreamEventType.METRIC_UPDATE, EMPTY, Instant.now(), Instant.now());
            }
            loop.runAll();
            assertEquals(round, healthy.batches.size(), "every batch reaches the healthy subscriber");
        }
        assertTrue(ended.isClosed());
        assertEquals(1, ended.disconnects.size(), "its connection closed once, on its loop");
        assertEquals(0, ended.backlog(), "nothing counted in flight for the write that never started");
    }

    @Test
    void aCloseFromAnotherThreadDisconnectsOnTheSubscribersLoop() {
        Loop loop = new Loop();
        Ended subscriber = new Ended("a", loop);
        subscriber.close("too slow");
        assertTrue(subscriber.isClosed(), "no more writes from now on");
        assertEquals(List.of(), subscriber.disconnects, "not on the caller's thread");
        loop.runAll();
        assertEquals(List.of("too slow"), subscriber.disconnects);
    }

    @Test
    void anIdIssuedToAnotherWorkflowOrReplicaReplaysNothingAndAnOwnIdReplaysWhatFollowsIt() {
        StreamHub hub = new StreamHub(config(), new SimpleMeterRegistry());
        Loop loop = new Loop();
        Recording a = new Recording("a", loop);
        Recording b = new Recording("b", loop);
        hub.subscribe(a, null);
        hub.subscribe(b, null);
        for (int i = 0; i < 3; i++) {
            publish(hub, "a");
            publish(hub, "b");
        }
        loop.runAll();
        List<Long> ofA = a.batches.stream().flatMap(List::stream).toList();
        List<Long> ofB = b.batches.stream().flatMap(List::stream).toList();
        assertTrue(ofA.get(0) < ofB.get(0) && ofB.get(0) < ofA.get(1), "interleaved: " + ofA + " " + ofB);

        assertEquals(List.of(), replayed(hub, "a", null), "no id, no replay");
        assertEquals(List.of(), replayed(hub, "a", Long.MAX_VALUE - 1), "an id beyond this replica's");
        assertEquals(List.of(), replayed(hub, "a", ofB.get(0)), "an id between a's that is not one of them");
        assertEquals(List.of(), replayed(hub, "a", ofB.get(2)), "an id above a's last");
        assertEquals(ofA.subList(1, 3), replayed(hub, "a", ofA.get(0)), "a's own id: what followed it");
        assertEquals(List.of(), replayed(hub, "a", ofA.get(2)), "the newest: nothing to replay");
    }

    @Test
    void anUnwatchedChannelGoesDormantAndTellsAResumingClientExactlyWhetherItMissedSomething() throws Exception {
        StreamHub hub = new StreamHub(config(Duration.ZERO), new SimpleMeterRegistry());
        Loop loop = new Loop();
        Recording viewer = new Recording("a", loop);
        hub.subscribe(viewer, null);
        publish(hub, "a");
        publish(hub, "a");
        loop.runAll();
        long last = viewer.batches.get(0).get(1);
        hub.unsubscribe(viewer);
        hub.sweep();
        Thread.sleep(5);
        hub.sweep(); // unwatched for longer than the replay age: the window is let go
        assertEquals(0, hub.subscribers("a"));

        assertEquals(List.of(), replayed(hub, "a", last), "nothing happened since: no notice, nothing to replay");
        hub.unsubscribe(hub.subscribersOf("a").get(0));
        hub.sweep();
        Thread.sleep(5);
        hub.sweep();
        publish(hub, "a"); // while dormant: not kept, so a resume must hear of it
        assertEquals(List.of(0L), replayed(hub, "a", last), "a gap notice (id 0) and nothing else");
    }

    private static void publish(StreamHub hub, String workflow) {
        hub.publish(workflow, StreamEventType.METRIC_UPDATE, EMPTY, Instant.now(), Instant.now());
    }

    /** What a subscriber resuming after {@code lastEventId} is replayed (ids; 0 for a gap notice). */
    private static List<Long> replayed(StreamHub hub, String workflow, Long lastEventId) {
        Loop loop = new Loop();
        Recording r = new Recording(workflow, loop);
        hub.subscribe(r, lastEventId);
        loop.runAll();
        return r.batches.stream().flatMap(List::stream).toList();
    }

    private static StreamConfig config() {
        return config(Duration.ofMinutes(5));
    }

    private static StreamConfig config(Duration replayAge) {
        return new StreamConfig() {
            public int queueCapacity() {
                return 100;
            }

            public int maxBatch() {
                return 64;
            }

            public int maxInFlight() {
                return 2;
            }

            public int replayEvents() {
                return 20;
            }

            public int replayBytes() {
                return 1 << 20;
            }

            public Duration replayAge() {
                return replayAge;
            }

            public Duration stallTimeout() {
                return Duration.ofSeconds(30);
            }

            public Duration heartbeat() {
                return Duration.ofSeconds(15);
            }

            public Duration sweepEvery() {
                return Duration.ofSeconds(5);
            }

            public int maxSubscribersPerWorkflow() {
                return 100;
            }
        };
    }
}
