package io.workflowanalytics.realtime.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.workflowanalytics.common.events.StreamEventType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans events out per workflow to the subscribers connected to this replica. A workflow has a live channel from its
 * first subscriber until the sweep finds it without subscribers and either with an empty replay window or unwatched
 * for the replay age; it then stays dormant (no window) for an hour and is forgotten. Events of workflows without a
 * live channel are not even encoded. Each event gets an id from one
 * sequence of this replica (so ids increase per workflow, and across restarts, since the sequence starts at the boot
 * time in microseconds), is encoded once, kept in the workflow's bounded replay window and offered to every
 * subscriber; the replay and the subscription happen under the workflow's lock, so a resuming client gets neither a
 * gap nor a duplicate between the missed events and the live ones.
 */
@ApplicationScoped
public class StreamHub {

    private static final Logger LOG = Logger.getLogger(StreamHub.class);

    private final StreamConfig config;
    private final long firstId = System.currentTimeMillis() * 1000;
    private final AtomicLong sequence = new AtomicLong(firstId);
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    /** How long a channel nobody watches is kept dormant (a few longs) before it is forgotten. */
    static final java.time.Duration DORMANT_FOR = java.time.Duration.ofHours(1);

    private final Counter published;
    private final Counter disconnects;

    public StreamHub(StreamConfig config, MeterRegistry registry) {
        this.config = config;
        this.published = registry.counter("wa.realtime.events.published");
        this.disconnects = registry.counter("wa.realtime.subscribers.disconnected");
        registry.gauge("wa.realtime.subscribers", channels, StreamHub::countSubscribers);
        registry.gauge("wa.realtime.subscriber.backlog", channels, StreamHub::totalBacklog);
    }

    /**
     * Sends one event to the workflow's subscribers and keeps it for resumption.
     *
     * @param payload the event's JSON, one value on one line (it goes into the envelope as it is)
     */
    public void publish(String workflowId, StreamEventType type, byte[] payload, Instant timestamp,
                        Instant receivedAt) {
        try (Batch batch = batch()) {
            batch.publish(workflowId, type, payload, timestamp, receivedAt);
        }
    }

    /** Publishes many events at once: each subscriber they reach is handed its share in one go when it closes. */
    public Batch batch() {
        return new Batch();
    }

    /** Events published together, by one thread (a consumer's Kafka batch). */
    public final class Batch implements AutoCloseable {
        private final Set<Subscriber> touched = new java.util.LinkedHashSet<>();

        private Batch() {
        }

        public void publish(String workflowId, StreamEventType type, byte[] payload, Instant timestamp,
                            Instant receivedAt) {
            // A workflow nobody here watches, or watched within the replay window, costs nothing: no channel.
            Channel channel = channels.get(workflowId);
            if (channel == null) {
                return;
            }
            synchronized (channel) {
                if (channel.recent == null) {
                    channel.missed = true; // dormant: a client resuming later is told it missed something
                    return;
                }
                long id = sequence.incrementAndGet();
                channel.lastId = id;
                StreamMessage message = StreamMessage.event(id, type, workflowId, payload, timestamp, receivedAt);
                channel.recent.remember(message, receivedAt.toEpochMilli());
                for (Subscriber s : channel.subscribers) {
                    s.enqueue(message);
                    touched.add(s);
                }
            }
            published.increment();
        }

        /**
         * Hands each touched subscriber its share: one task per event loop for all of that loop's subscribers, so a
         * Kafka batch costs a handful of wake-ups rather than one per subscriber.
         */
        @Override
        public void close() {
            Map<Executor, List<Subscriber>> byLoop = new IdentityHashMap<>();
            for (Subscriber s : touched) {
                if (s.claim()) {
                    byLoop.computeIfAbsent(s.executor(), loop -> new ArrayList<>()).add(s);
                }
            }
            byLoop.forEach((loop, group) -> {
                try {
                    loop.execute(() -> {
                        for (Subscriber s : group) {
                            // one subscriber's failure must not leave the others of its loop claimed, never drained
                            try {
                                s.runClaimed();
                            } catch (RuntimeException e) {
                                LOG.warnf(e, "closing a subscriber of %s whose hand-over failed", s.workflowId());
                                s.close("internal error");
                            }
                        }
                    });
                } catch (RuntimeException e) {
                    // An event loop refusing work (shutting down): its subscribers' connections go with it.
                    LOG.debugf("an event loop refused a hand-over: %s", e.toString());
                    group.forEach(s -> s.abandon("shutting down"));
                }
            });
            touched.clear();
        }
    }

    /** Sends the event to every workflow that has subscribers here (system health concerns them all). */
    public void broadcast(StreamEventType type, byte[] payload, Instant timestamp, Instant receivedAt) {
        for (Map.Entry<String, Channel> e : channels.entrySet()) {
            if (!e.getValue().subscribers.isEmpty()) {
                publish(e.getKey(), type, payload, timestamp, receivedAt);
            }
        }
    }

    /**
     * Connects a subscriber. With {@code lastEventId} (an SSE client resuming) it first gets the kept events after
     * that id, preceded by an events_skipped notice when the window no longer reaches back that far. An id this
     * replica never issued (another replica's, or from before the window began) replays nothing.
     *
     * @return false when the workflow already has as many subscribers here as allowed
     */
    public boolean subscribe(Subscriber subscriber, Long lastEventId) {
        while (true) {
            // A channel made afresh (or woken after events it did not keep) takes an id of its own as the point up
            // to which a resume has a gap: the events it never kept had none, and any id issued before is below it.
            Channel channel = channels.computeIfAbsent(subscriber.workflowId(),
                    id -> new Channel(config, sequence.incrementAndGet()));
            synchronized (channel) {
                if (channels.get(subscriber.workflowId()) != channel) {
                    continue; // the sweep dropped this idle channel just now: joining it would hear nothing
                }
                channel.wake(config, sequence);
                if (channel.subscribers.size() >= config.maxSubscribersPerWorkflow()) {
                    return false;
                }
                if (lastEventId != null && lastEventId >= firstId && lastEventId <= sequence.get()) {
                    channel.replay(subscriber, lastEventId);
                }
                channel.subscribers.add(subscriber);
                return true;
            }
        }
    }

    public void unsubscribe(Subscriber subscriber) {
        Channel channel = channels.get(subscriber.workflowId());
        if (channel != null) {
            channel.subscribers.remove(subscriber);
        }
    }

    /** The subscribers of a workflow on this replica, as they are now. */
    List<Subscriber> subscribersOf(String workflowId) {
        Channel channel = channels.get(workflowId);
        return channel == null ? List.of() : List.copyOf(channel.subscribers);
    }

    /** Subscribers of a workflow on this replica. */
    public int subscribers(String workflowId) {
        Channel channel = channels.get(workflowId);
        return channel == null ? 0 : channel.subscribers.size();
    }

    /**
     * Disconnects subscribers that stopped reading, sends keep-alives, and forgets workflows with neither
     * subscribers nor events in the replay window.
     */
    @Scheduled(every = "${wa.realtime.stream.sweep-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant now = Instant.now();
        Instant stalledBefore = now.minus(config.stallTimeout());
        for (Map.Entry<String, Channel> e : channels.entrySet()) {
            Channel channel = e.getValue();
            for (Subscriber s : channel.subscribers) {
                Instant stalled = s.stalledSince();
                if (stalled != null && stalled.isBefore(stalledBefore)) {
                    LOG.infof("disconnecting a subscriber of %s: no write completed for %s", e.getKey(),
                            config.stallTimeout());
                    s.close("too slow: no write completed for " + config.stallTimeout().toSeconds() + " s");
                }
                if (s.isClosed()) {
                    channel.subscribers.remove(s);
                    disconnects.increment();
                } else {
                    s.keepAlive(now, config.heartbeat());
                }
            }
            synchronized (channel) {
                if (!channel.subscribers.isEmpty()) {
                    channel.unwatchedSince = 0;
                } else if (channel.unwatchedSince == 0) {
                    channel.unwatchedSince = now.toEpochMilli();
                }
                if (channel.recent != null) {
                    channel.recent.expire(now.minus(config.replayAge()).toEpochMilli());
                    // Unwatched and nothing to replay, or unwatched for as long as events are replayed: a workflow
                    // busy enough never to empty its window would otherwise keep it (1 MiB) for good.
                    if (channel.subscribers.isEmpty() && (channel.recent.isEmpty()
                            || now.toEpochMilli() - channel.unwatchedSince > config.replayAge().toMillis())) {
                        channel.sleep();
                    }
                } else if (now.toEpochMilli() - channel.unwatchedSince > DORMANT_FOR.toMillis()) {
                    channels.remove(e.getKey(), channel);
                }
            }
        }
    }

    private static double countSubscribers(Map<String, Channel> channels) {
        return channels.values().stream().mapToInt(c -> c.subscribers.size()).sum();
    }

    private static double totalBacklog(Map<String, Channel> channels) {
        return channels.values().stream().flatMap(c -> c.subscribers.stream()).mapToInt(Subscriber::backlog).sum();
    }

    /**
     * A workflow's subscribers and replay window, guarded by the channel's monitor. A channel nobody watches any
     * more goes dormant: its window is let go, and all it keeps is the last id it issued and whether events came
     * since (then not even encoded), so that a client resuming within {@link #DORMANT_FOR} learns exactly whether it
     * missed something. A channel made afresh cannot know: a resume into it is told of a gap.
     */
    private static final class Channel {
        private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        /** Null while dormant. */
        private ReplayWindow recent;
        /** The last id issued to this workflow. */
        private long lastId;
        /** Events came while dormant. */
        private boolean missed;
        /** Since when (epoch ms) nobody has watched; 0 while watched. */
        private long unwatchedSince;

        /** @param forgottenUpTo ids up to which a resuming client is told of a gap (the history is unknown) */
        Channel(StreamConfig config, long forgottenUpTo) {
            this.recent = new ReplayWindow(config.replayEvents(), config.replayBytes(), forgottenUpTo);
            this.lastId = forgottenUpTo;
        }

        void sleep() {
            recent = null;
            missed = false;
        }

        void wake(StreamConfig config, AtomicLong sequence) {
            if (recent == null) {
                if (missed) {
                    lastId = sequence.incrementAndGet();
                }
                recent = new ReplayWindow(config.replayEvents(), config.replayBytes(), lastId);
            }
        }

        /**
         * Replays what a client missed since {@code lastEventId}. Ids come from one sequence per replica, so another
         * replica's id may fall within this one's range: an id this workflow's channel never issued is recognised as
         * such (above the last issued, or between kept ones without being one) and replays nothing; one from before
         * what the window keeps cannot be told apart and is answered with a gap notice, never with duplicates.
         */
        void replay(Subscriber subscriber, long lastEventId) {
            if (lastEventId > lastId) {
                return;
            }
            if (recent.forgottenUpTo() > lastEventId) {
                subscriber.offerGap(lastEventId + 1, recent.forgottenUpTo());
            } else if (recent.forgottenUpTo() != lastEventId && !recent.contains(lastEventId)) {
                return;
            }
            recent.forEachAfter(lastEventId, subscriber::offer);
        }
    }
}
