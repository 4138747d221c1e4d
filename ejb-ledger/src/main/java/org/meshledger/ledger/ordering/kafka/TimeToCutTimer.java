package org.meshledger.ledger.ordering.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * When this node asks for a cut: once it has seen a non-empty pending block stay uncut for
 * {@code batchTimeout} of its <em>local</em> time, it publishes one {@link OrderMessage.TimeToCut}
 * for that height, at most one per height (another only if publishing that one failed). The local
 * clock only triggers the request; the log decides (the first time-to-cut for the height in the log
 * cuts, wherever it came from; {@link BlockCutter}). Only nodes configured to send time-to-cuts run
 * one; a network needs at least one, and with several a lone batch waits about
 * {@code batchTimeout} plus a round trip to the broker.
 *
 * <p>The consumer loop calls {@link #due} after each poll; the publisher's completion may call
 * {@link #sendFailed} on another thread: its methods are synchronized. It never throws.
 */
public final class TimeToCutTimer {

    private final long timeoutNanos;
    private final LongSupplier nanoTime;

    private long watching = -1;
    private long since;
    private boolean sent;

    /**
     * @param nanoTime the local clock ({@code System::nanoTime}; a test's own)
     */
    public TimeToCutTimer(Duration batchTimeout, LongSupplier nanoTime) {
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw new IllegalArgumentException("A batch timeout is positive, not " + batchTimeout);
        }
        this.timeoutNanos = batchTimeout.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Given the cutter's pending block now, the height to publish a time-to-cut for, if one is due;
     * the timer counts it as sent.
     */
    public synchronized OptionalLong due(long pendingHeight, boolean pendingNonEmpty) {
        long now = nanoTime.getAsLong();
        if (!pendingNonEmpty) {
            watching = -1;
            return OptionalLong.empty();
        }
        if (pendingHeight != watching) {
            watching = pendingHeight;
            since = now;
            sent = false;
        }
        if (!sent && now - since >= timeoutNanos) {
            sent = true;
            return OptionalLong.of(pendingHeight);
        }
        return OptionalLong.empty();
    }

    /** Publishing the time-to-cut for {@code height} failed: another may be sent after another timeout. */
    public synchronized void sendFailed(long height) {
        if (height == watching && sent) {
            sent = false;
            since = nanoTime.getAsLong();
        }
    }
}
