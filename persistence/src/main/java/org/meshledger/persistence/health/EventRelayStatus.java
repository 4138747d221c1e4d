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

    /** @param detail the bootstrap servers, or the last failure */
    public record Snapshot(State state, String detail, long publishedHeight, Instant changedAt) {
    }

    private static volatile Snapshot current = new Snapshot(State.NOT_CONFIGURED, "the relay has not started", 0,
            Instant.EPOCH);

    private EventRelayStatus() {
    }

    public static Snapshot current() {
        return current;
    }

    public static void report(State state, String detail, long publishedHeight) {
        current = new Snapshot(state, detail, publishedHeight, Instant.now());
    }
}
