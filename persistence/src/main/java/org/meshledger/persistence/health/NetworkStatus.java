package org.meshledger.persistence.health;

import java.util.function.Supplier;

/**
 * How this node stands in its network of nodes, as its ordering reports it (the ordering runs in
 * the EJB module; the health check that shows it lives in this EAR library, so they meet here).
 */
public final class NetworkStatus {

    /**
     * @param node this node's id, or null in a network of one node
     * @param height the ledger's height on this node
     * @param agreedHeight the highest height a majority of the nodes agrees on with this node
     * @param reading whether the order log's reader still applies blocks
     * @param halted why this node takes no writes (the signed evidence of its divergence), or null
     * @param evidence how many faults of other nodes this node has found since it started
     */
    public record Snapshot(String node, long height, long agreedHeight, boolean reading, String halted, long evidence) {
    }

    private static volatile Supplier<Snapshot> source = () -> new Snapshot(null, 0, 0, true, null, 0);

    private NetworkStatus() {
    }

    public static Snapshot current() {
        return source.get();
    }

    /** Where the current snapshot comes from (the node's ordering, when it starts). */
    public static void reportFrom(Supplier<Snapshot> snapshots) {
        source = snapshots;
    }
}
