package org.meshledger.ledger.ordering.kafka;

/**
 * Told of every record of the order log that no block takes ({@link SkippedMessage}). Called on the
 * thread that feeds the log (the consumer loop); it must return quickly and must not throw (what it
 * throws is logged and ignored: evidence must never stop the log). After a restart, records after
 * the node's last block are read again and reported again.
 */
@FunctionalInterface
public interface SkipListener {

    void skipped(SkippedMessage message);

    SkipListener NONE = message -> {
    };
}
