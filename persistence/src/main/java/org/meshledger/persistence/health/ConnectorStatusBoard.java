package org.meshledger.persistence.health;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * What each connector last reported (the connectors run in the camel-routes module; the health check
 * that shows them must live in this EAR library, so they meet here, as the event relay's status does).
 */
public final class ConnectorStatusBoard {

    /** How a connector is doing. */
    public enum State {
        /** Started; its routes are starting. */
        STARTING,
        /** Moving records. */
        RUNNING,
        /** Its system (or the ledger) cannot be reached or refused; it retries by itself. */
        RETRYING,
        /** It could not start (its configuration, or no provider of its kind); the detail says why. */
        FAILED,
        /** Switched off in the connectors file. */
        DISABLED,
        /** The node is stopping. */
        STOPPED
    }

    /**
     * @param reads whether it takes changes from its system
     * @param writes whether it writes the ledger's changes to its system
     * @param outboundHeight the ledger height up to which it has written (0 before the first block)
     * @param errors failures so far (of records and of the link to the system)
     */
    public record Snapshot(String id, String kind, String party, String system, State state, String detail,
            boolean reads, boolean writes, Instant lastInboundAt, Instant lastOutboundAt, long inboundRecords,
            long outboundRecords, long errors, String lastError, Instant lastErrorAt, long outboundHeight,
            Instant changedAt) {

        public Snapshot withState(State newState, String newDetail) {
            return new Snapshot(id, kind, party, system, newState, newDetail, reads, writes, lastInboundAt,
                    lastOutboundAt, inboundRecords, outboundRecords, errors, lastError, lastErrorAt, outboundHeight,
                    Instant.now());
        }
    }

    private static final Map<String, Snapshot> CONNECTORS = new ConcurrentHashMap<>();

    private ConnectorStatusBoard() {
    }

    public static void register(Snapshot snapshot) {
        CONNECTORS.put(snapshot.id(), snapshot);
    }

    public static void update(String id, UnaryOperator<Snapshot> change) {
        CONNECTORS.computeIfPresent(id, (key, current) -> change.apply(current));
    }

    public static List<Snapshot> all() {
        return CONNECTORS.values().stream().sorted(Comparator.comparing(Snapshot::id)).toList();
    }

    public static java.util.Optional<Snapshot> get(String id) {
        return java.util.Optional.ofNullable(CONNECTORS.get(id));
    }

    /** Forgets every connector (the node stopping, or a test starting over). */
    public static void clear() {
        CONNECTORS.clear();
    }
}
