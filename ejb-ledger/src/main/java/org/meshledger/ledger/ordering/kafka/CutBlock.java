package org.meshledger.ledger.ordering.kafka;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A block as the order log cut it: its height, the range of offsets it consumed (from the record
 * after the previous block's last to the record that cut it, skipped records included, so the
 * blocks' ranges tile the log), its time (from the log, never earlier than the previous block's)
 * and its batches in log order. Every node cuts the same blocks from the same log. Immutable.
 *
 * @param lastValueSha256 SHA-256 of the raw value of the record at {@code lastOffset}
 */
public record CutBlock(long height, long firstOffset, long lastOffset, Instant time, List<BatchEntry> batches,
        byte[] lastValueSha256) {

    public CutBlock {
        Objects.requireNonNull(time, "time");
        batches = List.copyOf(batches);
        lastValueSha256 = lastValueSha256.clone();
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("A block holds at least one batch");
        }
    }

    /**
     * A batch, the offset of its record and the record's log-append time (milliseconds since the
     * epoch): a batch appended after its own deadline is ignored by every node alike.
     */
    public record BatchEntry(long offset, long logTime, OrderMessage.Batch batch) {
    }

    public int transactionCount() {
        return batches.stream().mapToInt(e -> e.batch().txCount()).sum();
    }

    public long payloadBytes() {
        return batches.stream().mapToLong(e -> e.batch().payloadSize()).sum();
    }

    /** What the node stores with this block to carry on after it ({@link BlockCutter#BlockCutter}). */
    public CutterState stateAfter() {
        return new CutterState(height + 1, time, lastOffset);
    }

    /** The last record this block consumed, for the start check ({@link ExpectedLog}). */
    public LogPosition end() {
        return new LogPosition(lastOffset, lastValueSha256);
    }

    @Override
    public byte[] lastValueSha256() {
        return lastValueSha256.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CutBlock b && height == b.height && firstOffset == b.firstOffset
                && lastOffset == b.lastOffset && time.equals(b.time) && batches.equals(b.batches)
                && Arrays.equals(lastValueSha256, b.lastValueSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, firstOffset, lastOffset, time, batches) * 31 + Arrays.hashCode(lastValueSha256);
    }

    @Override
    public String toString() {
        return "CutBlock[height " + height + ", offsets " + firstOffset + ".." + lastOffset + ", " + time + ", "
                + batches.size() + " batches, " + transactionCount() + " tx]";
    }
}
