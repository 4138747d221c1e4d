package org.meshledger.ledger.ordering.kafka;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * What a node publishes to the order topic: a {@link Batch} of transactions, or a {@link TimeToCut}
 * request. Both name the node that sent (and signed) them; on the wire they travel in the signed
 * envelope of {@link OrderMessageCodec}. Immutable values; safe to share between threads.
 */
public sealed interface OrderMessage permits OrderMessage.Batch, OrderMessage.TimeToCut {

    /** The node that sent the message; its key signed the envelope. */
    String nodeId();

    /**
     * A submission batch: {@code txCount} transactions sealed into {@code payload}, opaque to the log
     * layer. {@code (nodeId, batchId)} names it: the same batch read twice from the log (a producer's
     * retry, a broker's duplicate, a replay) is taken once, the first time ({@link BlockCutter}).
     * {@code txCount} is what the node claims; the cutter counts it, the applier checks it against the
     * payload (every node sees the same claim, so the cut stays the same on every node either way).
     */
    record Batch(String nodeId, UUID batchId, int txCount, byte[] payload) implements OrderMessage {

        public Batch {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(batchId, "batchId");
            Objects.requireNonNull(payload, "payload");
            if (txCount < 1) {
                throw new IllegalArgumentException("A batch carries at least one transaction, not " + txCount);
            }
            payload = payload.clone();
        }

        /** A copy of the payload (the record keeps its own). */
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public int payloadSize() {
            return payload.length;
        }

        /** The key under which duplicates are recognised. */
        public BatchKey key() {
            return new BatchKey(nodeId, batchId);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Batch b && nodeId.equals(b.nodeId) && batchId.equals(b.batchId)
                    && txCount == b.txCount && Arrays.equals(payload, b.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(nodeId, batchId, txCount, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Batch[" + nodeId + "/" + batchId + ", " + txCount + " tx, " + payload.length + " bytes]";
        }
    }

    /**
     * A request to cut the block at {@code height}: the first one in the log for the height of a
     * non-empty pending block cuts it; any other is ignored ({@link BlockCutter}).
     */
    record TimeToCut(String nodeId, long height) implements OrderMessage {

        public TimeToCut {
            Objects.requireNonNull(nodeId, "nodeId");
            if (height < 0) {
                throw new IllegalArgumentException("A height is not negative: " + height);
            }
        }
    }

    /** A batch's identity across the network: the sending node and the batch id it chose. */
    record BatchKey(String nodeId, UUID batchId) {

        public BatchKey {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(batchId, "batchId");
        }
    }
}
