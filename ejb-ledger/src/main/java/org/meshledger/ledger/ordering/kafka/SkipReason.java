package org.meshledger.ledger.ordering.kafka;

/**
 * Why a message of the order log was skipped. Every node checks a record in the same order (size,
 * envelope, network, node, signature, body; then, for a batch, whether it was taken before), so
 * every node skips the same records for the same reason.
 */
public enum SkipReason {
    /** Larger than the network's limit for one message; its bytes are not kept as evidence. */
    OVERSIZED,
    /** Not a message of this format (wrong magic, kind, lengths, trailing bytes, a body that does not parse). */
    MALFORMED,
    /** Well formed, but for another network. */
    OTHER_NETWORK,
    /** Names a node the network does not know. */
    UNKNOWN_NODE,
    /** The signature is not the named node's over this message. */
    BAD_SIGNATURE,
    /** A batch (same node, same batch id) that the log already delivered: taken once, the first time. */
    DUPLICATE_BATCH
}
