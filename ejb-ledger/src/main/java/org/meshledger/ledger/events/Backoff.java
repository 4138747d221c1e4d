package org.meshledger.ledger.events;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The pause between attempts of a loop that follows the ledger and hands it on (the event relay, a
 * connector's outbound feed): from {@code first}, doubling after each failure up to {@code last},
 * back to {@code first} after a success.
 */
public final class Backoff {

    private final Duration first;
    private final Duration last;
    private Duration next;

    public Backoff(Duration first, Duration last) {
        this.first = first;
        this.last = last;
        this.next = first;
    }

    /** The pause the next failure waits. */
    public Duration next() {
        return next;
    }

    /** Whether the loop is not failing (no failure since the last success). */
    public boolean calm() {
        return next.equals(first);
    }

    public void succeeded() {
        next = first;
    }

    /**
     * Waits the pause after a failure, and doubles the next one.
     *
     * @return false when the thread was interrupted or {@code stopped} says to stop
     */
    public boolean pause(BooleanSupplier stopped) {
        Duration pause = next;
        next = pause.multipliedBy(2).compareTo(last) > 0 ? last : pause.multipliedBy(2);
        try {
            Thread.sleep(pause.toMillis());
            return !stopped.getAsBoolean();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
