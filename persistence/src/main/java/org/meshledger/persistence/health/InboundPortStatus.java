package org.meshledger.persistence.health;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the node's inbound port last reported (it runs in the EJB module; the events health check
 * shows it): the inbound partitions held back because their next message cannot be settled now,
 * and how many messages went to the dead-letter topics since the node started. Safe from any thread.
 */
public final class InboundPortStatus {

    /** A partition whose next message waits: since when, and why. */
    public record Held(Instant since, String reason) {
    }

    private static final Map<String, Held> HELD = new ConcurrentHashMap<>();
    private static final AtomicLong DEAD_LETTERED = new AtomicLong();

    private InboundPortStatus() {
    }

    /** The partition ({@code topic-partition}) cannot settle its next message now; it is tried again. */
    public static void held(String partition, String reason) {
        HELD.compute(partition, (p, before) -> new Held(before == null ? Instant.now() : before.since(), reason));
    }

    /** The partition goes on. */
    public static void released(String partition) {
        HELD.remove(partition);
    }

    public static void deadLettered() {
        DEAD_LETTERED.incrementAndGet();
    }

    /** The held partitions, by name. */
    public static Map<String, Held> held() {
        return new TreeMap<>(HELD);
    }

    public static long deadLetteredSinceStart() {
        return DEAD_LETTERED.get();
    }
}
