package io.workflowanalytics.realtime.stream;

import io.workflowanalytics.common.events.StreamEventType;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A workflow's recent events, kept for SSE clients that resume with Last-Event-ID: at most {@code maxEvents} events
 * and {@code maxBytes} bytes, the oldest leaving first. The events' SSE frames are copied back to back into one byte
 * array that wraps around, with their ids, types and arrival times in parallel primitive arrays; nothing per event
 * stays on the heap.
 * <p>
 * Why not a queue of the messages themselves: at 5,000 events a second the windows of 100 workflows hold 50,000
 * messages that live ~10 s, long enough to be promoted and to die in the old generation. The gateway's collector then
 * spent 80 ms per young pause copying them and 0.5 s every half minute in full collections, which was the gateway's
 * p99 (measured, docs/benchmarks.md). Here the live message dies young and the window's arrays, once grown, are
 * reused for the channel's lifetime. Replay, which is rare, rebuilds messages from the bytes.
 * <p>
 * Not thread-safe: the hub guards each window with its channel's monitor.
 */
final class ReplayWindow {

    /** A window starts small and grows as events come: a replica may watch many quiet workflows. */
    private static final int INITIAL_BYTES = 4 * 1024;
    private static final int INITIAL_EVENTS = 16;

    private final int maxEvents;
    private final int maxBytes;
    private byte[] arena;
    /** Per event, in slots that wrap around; as many slots as the window has grown to (up to maxEvents). */
    private long[] ids;
    private long[] atMillis;
    private StreamEventType[] types;
    private int[] starts;
    private int[] lengths;
    private int[] jsonStarts;
    /** Index of the oldest event in the parallel arrays, and how many are kept. */
    private int head;
    private int size;
    /** Where the next frame goes in the arena. */
    private int writeAt;
    /** The highest id that left the window: a resume from below it has a gap. */
    private long forgottenUpTo;

    ReplayWindow(int maxEvents, int maxBytes) {
        this(maxEvents, maxBytes, 0);
    }

    /** @param forgottenUpTo ids up to which a resume has a gap from the start (events this window never saw) */
    ReplayWindow(int maxEvents, int maxBytes, long forgottenUpTo) {
        this.forgottenUpTo = forgottenUpTo;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.arena = new byte[Math.min(INITIAL_BYTES, maxBytes)];
        allocateSlots(Math.min(INITIAL_EVENTS, maxEvents));
    }

    /** Keeps a copy of the message's SSE frame; an event larger than the whole window empties it instead. */
    void remember(StreamMessage message, long atMillis) {
        int length = message.sseLength();
        if (length > maxBytes || maxEvents == 0) {
            // Cannot be kept: what is older must go too, or a resume would skip this one without a notice.
            forgetAll(message.id());
            return;
        }
        if (size == maxEvents) {
            evictOldest();
        } else if (size == ids.length) {
            growSlots();
        }
        int at = placeFor(length);
        message.copySseTo(arena, at);
        int slot = (head + size) % ids.length;
        ids[slot] = message.id();
        this.atMillis[slot] = atMillis;
        types[slot] = message.type();
        starts[slot] = at;
        lengths[slot] = length;
        jsonStarts[slot] = message.jsonStart();
        size++;
        writeAt = at + length;
    }

    /** Forgets the events that arrived before {@code beforeMillis}. */
    void expire(long beforeMillis) {
        while (size > 0 && atMillis[head] < beforeMillis) {
            evictOldest();
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The highest id that left the window (0, or what the window was made with, when none did). */
    long forgottenUpTo() {
        return forgottenUpTo;
    }

    /** Whether the window keeps the event with this id (a linear scan: resumptions are rare). */
    boolean contains(long id) {
        for (int i = 0; i < size; i++) {
            if (ids[(head + i) % ids.length] == id) {
                return true;
            }
        }
        return false;
    }

    /** Hands the kept events after {@code lastEventId}, oldest first, as messages of their own. */
    void forEachAfter(long lastEventId, Consumer<StreamMessage> action) {
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % ids.length;
            if (ids[slot] > lastEventId) {
                byte[] frame = Arrays.copyOfRange(arena, starts[slot], starts[slot] + lengths[slot]);
                action.accept(StreamMessage.ofSseFrame(ids[slot], types[slot], frame, jsonStarts[slot]));
            }
        }
    }

    /**
     * The arena offset where {@code length} bytes go: after the newest frame, or at the start when they do not fit
     * before the end. The arena grows (doubling, up to maxBytes) before old events are given up for room.
     */
    private int placeFor(int length) {
        if (!fitsWithoutEviction(length) && arena.length < maxBytes) {
            grow(length);
        }
        int at = writeAt;
        if (at + length > arena.length) {
            // No room before the end: the frames between here and the end are the oldest; they go, and this one
            // starts the next lap at 0.
            while (size > 0 && starts[head] >= at) {
                evictOldest();
            }
            at = 0;
        }
        // The oldest frames follow the free space in arena order: they leave until this one fits.
        while (size > 0 && overlaps(head, at, length)) {
            evictOldest();
        }
        return at;
    }

    private boolean fitsWithoutEviction(int length) {
        if (size == 0) {
            return length <= arena.length;
        }
        int oldest = starts[head];
        if (oldest < writeAt) { // kept frames occupy [oldest, writeAt): free at the end, or before oldest
            return writeAt + length <= arena.length || length <= oldest;
        }
        return writeAt + length <= oldest; // wrapped: free between the newest and the oldest
    }

    /** A bigger arena with the kept frames moved to its start, in order. */
    private void grow(int length) {
        int used = 0;
        for (int i = 0; i < size; i++) {
            used += lengths[(head + i) % ids.length];
        }
        int capacity = arena.length;
        while (capacity < used + length && capacity < maxBytes) {
            capacity = Math.min(maxBytes, capacity * 2);
        }
        capacity = Math.min(maxBytes, Math.max(capacity, arena.length * 2));
        byte[] bigger = new byte[capacity];
        int at = 0;
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % ids.length;
            System.arraycopy(arena, starts[slot], bigger, at, lengths[slot]);
            starts[slot] = at;
            at += lengths[slot];
        }
        arena = bigger;
        writeAt = at;
    }

    private boolean overlaps(int slot, int at, int length) {
        return starts[slot] < at + length && at < starts[slot] + lengths[slot];
    }

    private void evictOldest() {
        forgottenUpTo = ids[head];
        types[head] = null;
        head = (head + 1) % ids.length;
        size--;
        if (size == 0) {
            head = 0;
            writeAt = 0;
        }
    }

    private void allocateSlots(int count) {
        ids = new long[count];
        atMillis = new long[count];
        types = new StreamEventType[count];
        starts = new int[count];
        lengths = new int[count];
        jsonStarts = new int[count];
    }

    /** Twice the slots (up to maxEvents), the kept events moved to the first ones in order. */
    private void growSlots() {
        long[] oldIds = ids;
        long[] oldAt = atMillis;
        StreamEventType[] oldTypes = types;
        int[] oldStarts = starts;
        int[] oldLengths = lengths;
        int[] oldJsonStarts = jsonStarts;
        allocateSlots(Math.min(maxEvents, oldIds.length * 2));
        for (int i = 0; i < size; i++) {
            int from = (head + i) % oldIds.length;
            ids[i] = oldIds[from];
            atMillis[i] = oldAt[from];
            types[i] = oldTypes[from];
            starts[i] = oldStarts[from];
            lengths[i] = oldLengths[from];
            jsonStarts[i] = oldJsonStarts[from];
        }
        head = 0;
    }

    private void forgetAll(long upTo) {
        while (size > 0) {
            evictOldest();
        }
        forgottenUpTo = Math.max(forgottenUpTo, upTo);
    }
}
