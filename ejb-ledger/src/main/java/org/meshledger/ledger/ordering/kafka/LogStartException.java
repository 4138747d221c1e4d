package org.meshledger.ledger.ordering.kafka;

/**
 * The order log is not the one the node's ledger was built from, so the node halts rather than
 * build a different history. Each {@link Reason} says what changed; the message says what to do.
 * Never retried by the node itself: an operator must look.
 */
public final class LogStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What no longer matches what the node stored with its ledger. */
    public enum Reason {
        /** The brokers are another Kafka cluster (another cluster id) than the ledger was built from. */
        CLUSTER_CHANGED,
        /** The order topic is gone although the ledger was built from it. */
        TOPIC_MISSING,
        /** The order topic was deleted and created again (another topic id): the old log is gone. */
        TOPIC_RECREATED,
        /**
         * The log no longer holds the offset of the last record the node's last block consumed: it was
         * truncated or deleted, or it ends before it (a log that lost its tail).
         */
        OFFSET_MISSING,
        /** The record at that offset is not the one the node's last block consumed (another digest). */
        MESSAGE_CHANGED
    }

    private final Reason reason;

    public LogStartException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
