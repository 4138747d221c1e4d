package org.meshledger.persistence.health;

import java.time.Instant;

/**
 * What the node's event relay last reported (the relay runs in the EJB module; the health check
 * that shows it must live in this EAR library, so they meet here). One relay per node.
 */
public final class EventRelayStatus {

    /** How the relay is doing. */
    public enum State {
        /** No Kafka configured: events wait in the outbox. */
        NOT_CONFIGURED,
        /** Connecting, or publishing what is in the outbox. */
        PUBLISHING,
        /** The broker cannot be reached or refused; the relay retries and catches up by itself. */
        RETRYING
    }

    /**
     * @param detail the bootstrap servers, or the last failure
     * @param changedAt when the relay last reported
     * @param advancedAt when the relay last marked blocks published, or started: a relay with a
     *        backlog that has not advanced for long is stalled
     */
    public record Snapshot(State state, String detail, long publishedHeight, Instant changedAt, Instant advancedAt) {
    }

    private static volatile Snapshot current = new Snapshot(State.NOT_CONFIGURED, "the relay has not started", 0,
            Instant.EPOCH, Instant.EPOCH);

    private EventRelayStatus() {
    }

    public static Snapshot current() {
        return current;
    }

    /** A relay starting (or not configured): it has not advanced yet, and is not stalled yet either. */
    public static synchronized void started(State state, String detail) {
        Instant now = Instant.now();
        current = new Snapshot(state, detail, 0, now, now);
    }

    /** What the relay is doing; a {@code publishedHeight} above the last one means it advanced. */
    public static synchronized void report(State state, String detail, long publishedHeight) {
        Snapshot last = current;
        Instant now = Instant.now();
        current = new Snapshot(state, detail, publishedHeight, now,
                publishedHeight > last.publishedHeight() ? now : last.advancedAt());
    }
}
