package org.meshledger.ledger.ordering.kafka;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The consumer loop's work without Kafka: each raw record of the order log, in offset order, is
 * decoded and verified ({@link OrderMessageCodec}) and, if verified, offered to the
 * {@link BlockCutter}; a record that does not verify is skipped and reported to the
 * {@link SkipListener}, as every node does for the same bytes. Records at or before the last one
 * seen are ignored (not decoded, not reported again).
 *
 * <p>Not thread-safe: one thread feeds it. Never throws for what a record holds.
 */
public final class OrderLogFollower {

    private static final Logger LOG = Logger.getLogger(OrderLogFollower.class.getName());

    private final OrderMessageCodec codec;
    private final BlockCutter cutter;
    private final SkipListener skips;

    public OrderLogFollower(OrderMessageCodec codec, BlockCutter cutter, SkipListener skips) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.cutter = Objects.requireNonNull(cutter, "cutter");
        this.skips = Objects.requireNonNull(skips, "skips");
    }

    /**
     * Takes the record at {@code offset}, appended at {@code logTime} (milliseconds since the epoch)
     * with the raw {@code value}; returns the block it cuts, if it cuts one.
     */
    public Optional<CutBlock> accept(long offset, long logTime, byte[] value) {
        if (offset < cutter.nextOffset()) {
            return Optional.empty();
        }
        OrderMessageCodec.Decoded decoded = codec.decode(value);
        if (!decoded.verified()) {
            SkippedMessage skipped = new SkippedMessage(offset, Instant.ofEpochMilli(logTime), decoded.reason(),
                    decoded.nodeId(), decoded.detail(), decoded.reason() == SkipReason.OVERSIZED ? null : value);
            LOG.warning("Skipped order log record: " + skipped);
            try {
                skips.skipped(skipped);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The skip listener failed on " + skipped, e);
            }
            cutter.skip(offset);
            return Optional.empty();
        }
        return cutter.offer(new LogEntry(offset, logTime, decoded.message(), sha256(value)));
    }

    /** The offset of the next record to accept. */
    public long nextOffset() {
        return cutter.nextOffset();
    }

    public BlockCutter cutter() {
        return cutter;
    }

    /** SHA-256 of a record's raw value, as a block's {@link LogPosition} keeps it. */
    public static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
