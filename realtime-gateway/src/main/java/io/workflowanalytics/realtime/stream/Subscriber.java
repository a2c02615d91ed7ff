package io.workflowanalytics.realtime.stream;

import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.StreamEvent;
import io.workflowanalytics.common.events.StreamEventType;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connected client of a workflow's stream, WebSocket or SSE. The hub offers it messages from the Kafka threads;
 * it writes them to the client in order, in batches of up to {@code maxBatch} on the connection's event loop, with at
 * most {@code maxInFlight} batches outstanding and at most {@code queueCapacity} messages waiting, so a slow client
 * costs bounded memory and never holds up the hub or other clients.
 * When its queue overflows it skips ahead: the oldest waiting messages are dropped and, once it catches up, an
 * {@code events_skipped} notice tells the client how many it missed and which ids. A client whose writes have not
 * completed for the stall timeout is closed ({@link #stalledSince}).
 */
public abstract class Subscriber {

    /** Written as an SSE comment; carries no event. */
    protected static final StreamMessage KEEP_ALIVE = new StreamMessage(0, null, null);

    private final String workflowId;
    private final int queueCapacity;
    private final int maxBatch;
    private final int maxInFlight;
    private final Executor executor;
    private final ArrayDeque<StreamMessage> queue = new ArrayDeque<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private int inFlight;
    /** A notice is owed: events were dropped here (counted) or had left the replay window (count unknown). */
    private boolean noticeOwed;
    private boolean countKnown;
    private long skipped;
    private long skippedFrom;
    private long skippedTo;
    private long delivered;
    private volatile Instant lastProgress = Instant.now();
    private volatile boolean closed;

    /**
     * @param maxBatch    messages written together at most (one write call, and for SSE one socket write)
     * @param maxInFlight batches written and not yet completed at most
     * @param executor    where writing happens: the connection's event loop, so that a burst of events costs the
     *                    Kafka thread one hand-over per subscriber rather than one per message
     */
    protected Subscriber(String workflowId, int queueCapacity, int maxBatch, int maxInFlight, Executor executor) {
        this.workflowId = workflowId;
        this.queueCapacity = queueCapacity;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.executor = executor;
    }

    public String workflowId() {
        return workflowId;
    }

    /**
     * Writes the messages, in order, to the client; completes when they were written (or fails when the client is
     * gone). Called on the subscriber's executor, one batch after another.
     */
    protected abstract CompletionStage<?> transmit(List<StreamMessage> batch);

    /** Closes the client's connection, telling it why where the transport can. */
    protected abstract void disconnect(String reason);

    /** Called from the hub's threads: never blocks, never waits on the client. */
    public void offer(StreamMessage message) {
        enqueue(message);
        schedule();
    }

    /**
     * Queues without handing writing over yet: the hub queues a whole Kafka batch's events this way and calls
     * {@link #claim()} per subscriber after it, handing each event loop its subscribers in one task
     * (StreamHub.Batch), so that a burst wakes each event loop once.
     */
    void enqueue(StreamMessage message) {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (queue.size() >= queueCapacity) {
                StreamMessage dropped = queue.poll();
                if (!noticeOwed) {
                    noticeOwed = true;
                    countKnown = true;
                    skippedFrom = dropped.id();
                }
                skipped++;
                skippedTo = dropped.id();
            }
            queue.add(message);
        }
    }

    /** Where this subscriber writes: subscribers with the same executor can be handed their work in one task. */
    Executor executor() {
        return executor;
    }

    /**
     * Claims the hand-over of what {@link #enqueue} queued, for a task the caller submits to {@link #executor()}
     * together with other subscribers' (then {@link #runClaimed()} there). False: a drain is pending already, and
     * it will pick the queued messages up.
     */
    boolean claim() {
        return scheduled.compareAndSet(false, true);
    }

    /** A claimed hand-over that cannot run (its executor refused it): released, and the subscriber closed. */
    void abandon(String reason) {
        scheduled.set(false);
        closed = true;
        synchronized (this) {
            queue.clear();
        }
    }

    /** Runs a claimed hand-over; on the executor. */
    void runClaimed() {
        scheduled.set(false);
        drain();
    }

    /** A resuming client asked for events that already left the replay window: tell it before the replay. */
    void offerGap(long fromId, long toId) {
        synchronized (this) {
            noticeOwed = true;
            countKnown = false;
            skippedFrom = fromId;
            skippedTo = toId;
        }
        schedule();
    }

    /** Sends a keep-alive when nothing was written for {@code interval} (transports without their own pings). */
    void keepAlive(Instant now, java.time.Duration interval) {
        if (!needsKeepAlive()) {
            return;
        }
        synchronized (this) {
            if (!queue.isEmpty() || inFlight > 0 || lastProgress.plus(interval).isAfter(now)) {
                return;
            }
            queue.add(KEEP_ALIVE);
        }
        schedule();
    }

    /** Whether this transport needs {@link #KEEP_ALIVE} messages (SSE does; WebSocket has ping frames). */
    protected boolean needsKeepAlive() {
        return false;
    }

    /** Hands writing to the executor, once for however many messages arrive before it runs. */
    private void schedule() {
        if (claim()) {
            executor.execute(this::runClaimed);
        }
    }

    /**
     * Writes what may be written now, in batches. Re-entrant calls (a write completing on the calling thread) only
     * count themselves in {@code wip} and the outer loop picks their work up, so the stack never grows.
     */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            while (!closed) {
                List<StreamMessage> batch;
                synchronized (this) {
                    if (inFlight >= maxInFlight || (queue.isEmpty() && !noticeOwed)) {
                        break;
                    }
                    batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                    if (noticeOwed) {
                        batch.add(skipNotice());
                    }
                    while (batch.size() < maxBatch && !queue.isEmpty()) {
                        batch.add(queue.poll());
                    }
                    if (inFlight++ == 0) {
                        // The stall clock starts with the first write outstanding: a client of a quiet workflow,
                        // whose last write completed long ago, is not "stalled" by the first write in a while.
                        lastProgress = Instant.now();
                    }
                }
                CompletionStage<?> transmitted;
                try {
                    transmitted = transmit(batch);
                } catch (RuntimeException e) {
                    // The connection went away under us (a response ended by a close on another thread throws):
                    // this client is done, and the loop this runs on must carry on with the others.
                    synchronized (this) {
                        inFlight--;
                    }
                    close("write failed: " + e.getMessage());
                    break;
                }
                transmitted.whenComplete((done, failure) -> {
                    if (failure != null) {
                        close("write failed");
                    } else {
                        written(batch.size());
                    }
                });
            }
        } while (wip.decrementAndGet() != 0);
    }

    private void written(int messages) {
        synchronized (this) {
            inFlight--;
            delivered += messages;
        }
        lastProgress = Instant.now();
        drain();
    }

    /**
     * The notice for what was dropped so far; resets the count. Called under the lock. Its message id is 0, so SSE
     * writes no {@code id:} line for it: a client that reconnects still names the last event it really got, and the
     * replay window may hand it the skipped ones.
     */
    private StreamMessage skipNotice() {
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        if (countKnown) {
            payload.put("skipped", skipped);
        }
        payload.put("fromId", String.valueOf(skippedFrom));
        payload.put("toId", String.valueOf(skippedTo));
        StreamEvent notice = new StreamEvent(String.valueOf(skippedTo), StreamEventType.EVENTS_SKIPPED, workflowId,
                EventJson.mapper().valueToTree(payload), Instant.now(), null);
        noticeOwed = false;
        skipped = 0;
        return new StreamMessage(0, StreamEventType.EVENTS_SKIPPED, EventJson.toBytes(notice));
    }

    /** Since when this client has had writes outstanding without any completing, or null when it keeps up. */
    public Instant stalledSince() {
        synchronized (this) {
            return inFlight == 0 ? null : lastProgress;
        }
    }

    public synchronized long delivered() {
        return delivered;
    }

    /** Messages waiting, and batches being written. */
    public synchronized int backlog() {
        return queue.size() + inFlight;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops writing and lets go of what was waiting; the hub forgets a closed subscriber on its next sweep. The
     * connection is closed on the subscriber's executor, after any write already under way there, never in the
     * middle of one (the sweep closes stalled subscribers from its own thread).
     */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            queue.clear();
        }
        try {
            executor.execute(() -> disconnect(reason));
        } catch (RuntimeException e) {
            // the event loop is shutting down, and the connection with it
        }
    }
}
