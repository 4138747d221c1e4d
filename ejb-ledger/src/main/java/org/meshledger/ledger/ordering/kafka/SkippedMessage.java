package org.meshledger.ledger.ordering.kafka;

import java.time.Instant;

/**
 * A record of the order log that no block takes, as evidence: where it is, why it was skipped, the
 * node it names (null when it names none), and its raw bytes: null when {@link SkipReason#OVERSIZED}
 * (a hostile node must not make the others keep its megabytes) and for
 * {@link SkipReason#DUPLICATE_BATCH} (the log holds it at {@code offset}, and its first copy is in a
 * block). A duplicate is signed by the node it names, but a producer's retry or the broker may have
 * repeated it; a {@link SkipReason#BAD_SIGNATURE}, {@link SkipReason#UNKNOWN_NODE} or
 * {@link SkipReason#OTHER_NETWORK} record proves nothing about the node it names, only that someone
 * with write access to the topic wrote it.
 */
public record SkippedMessage(long offset, Instant logTime, SkipReason reason, String nodeId, String detail,
        byte[] value) {

    @Override
    public String toString() {
        return "SkippedMessage[offset " + offset + ", " + reason + (nodeId == null ? "" : ", node " + nodeId) + ": "
                + detail + "]";
    }
}
