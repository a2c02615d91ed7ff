package io.workflowanalytics.common.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A bound on how many batches are in flight at once, without blocking a thread: {@link #admit()} completes when a
 * slot is free (taking it), {@link #release()} frees it or hands it to the next waiter. Lets one consumer overlap
 * the database work of one batch with the parsing and publishing of the next while memory stays bounded.
 * Only for work whose result does not depend on the order of batches (idempotent, commutative writes).
 */
public final class InFlightWindow {

    private final int size;
    private final Deque<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    public InFlightWindow(int size) {
        this.size = size;
    }

    public Uni<Void> admit() {
        return Uni.createFrom().emitter(emitter -> {
            boolean admitted;
            synchronized (this) {
                admitted = inFlight < size;
                if (admitted) {
                    inFlight++;
                } else {
                    waiting.addLast(emitter);
                }
            }
            if (admitted) {
                emitter.complete(null);
            }
        });
    }

    public void release() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    public synchronized int inFlight() {
        return inFlight;
    }
}
