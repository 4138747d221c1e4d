package org.meshledger.ledger.ordering.kafka;

import java.util.Objects;

/**
 * A verified record of the order log, as {@link BlockCutter} takes it.
 *
 * @param offset its offset in the order topic's partition
 * @param logTime its log-append timestamp (milliseconds since the epoch), as the broker stored it
 * @param message the verified message
 * @param valueSha256 SHA-256 of the record's raw value: a block keeps that of its last record, which
 *        the start check compares ({@link LogPosition})
 */
public record LogEntry(long offset, long logTime, OrderMessage message, byte[] valueSha256) {

    public LogEntry {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(valueSha256, "valueSha256");
        if (offset < 0) {
            throw new IllegalArgumentException("Not an offset: " + offset);
        }
    }
}
