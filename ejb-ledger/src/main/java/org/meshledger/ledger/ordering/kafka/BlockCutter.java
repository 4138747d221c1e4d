package org.meshledger.ledger.ordering.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cuts the order log into blocks, the same on every node: a pure function of the stored
 * {@link CutterState}, the {@link TakenBatches} and the verified records after it, in offset order.
 * No clock, no Kafka.
 *
 * <p>The rule, for each record in offset order (records at or before the last one seen are ignored:
 * they were taken into account already):
 * <ol>
 * <li>A <b>batch</b> already taken (same node and batch id, in a stored block, in a block cut since,
 * or in the pending block) is skipped and reported as {@link SkipReason#DUPLICATE_BATCH}: the first
 * copy in the log counts. Otherwise it joins the pending block, whole (a batch is never split); then,
 * if the pending block holds at least {@link CutPolicy#maxTransactions()} transactions or at least
 * {@link CutPolicy#maxBytes()} payload bytes, the block is cut, ending at this record.
 * <li>A <b>time-to-cut</b> for height h cuts the pending block, ending at this record, if h is the
 * pending block's height and the block holds at least one batch. Any other time-to-cut (another
 * height, a block already cut by an earlier one or by size, nothing pending) is ignored: for each
 * height the first time-to-cut that finds the block pending wins.
 * </ol>
 * A cut block spans the offsets from the record after the previous block's last one to the record
 * that cut it; its height is the previous one's plus one; its time is the later of the previous
 * block's time and the log-append timestamp of the record that cut it, so block times never move
 * backwards, whatever the brokers' clocks do.
 *
 * <p>Restart: a node stores {@link CutBlock#stateAfter()} with each block (and the block's batch keys,
 * for {@link TakenBatches}); after a restart, a cutter built on that state and fed the log from
 * {@link CutterState#resumeOffset()} cuts exactly the blocks a node that never stopped cuts, even when
 * batches were pending at the crash: they are read again, and nothing in the rule depends on when
 * they were read.
 *
 * <p>Not thread-safe: one thread (the consumer loop) feeds it. It throws nothing for what the log
 * holds; only a listener's failure is logged.
 */
public final class BlockCutter {

    private static final Logger LOG = Logger.getLogger(BlockCutter.class.getName());

    private final CutPolicy policy;
    private final TakenBatches taken;
    private final SkipListener skips;

    private long nextHeight;
    private long lastBlockTime;
    private long lastBlockOffset;
    private long lastSeenOffset;

    private final List<CutBlock.BatchEntry> pending = new ArrayList<>();
    private final Set<OrderMessage.BatchKey> pendingKeys = new HashSet<>();
    private long pendingTransactions;
    private long pendingBytes;
    /** Batches of the blocks cut since the start that the ledger may not hold yet, by height. */
    private final Map<OrderMessage.BatchKey, Long> cutSinceStored = new HashMap<>();

    /**
     * @param state what the node stored with its last block ({@link CutterState#initial} for none)
     * @param taken the batches of the stored blocks
     * @param skips told of duplicate batches
     */
    public BlockCutter(CutPolicy policy, CutterState state, TakenBatches taken, SkipListener skips) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.taken = Objects.requireNonNull(taken, "taken");
        this.skips = Objects.requireNonNull(skips, "skips");
        this.nextHeight = state.nextHeight();
        this.lastBlockTime = state.lastBlockTime().toEpochMilli();
        this.lastBlockOffset = state.lastOffset();
        this.lastSeenOffset = state.lastOffset();
    }

    /** Takes the next record; returns the block it cuts, if it cuts one. */
    public Optional<CutBlock> offer(LogEntry entry) {
        if (entry.offset() <= lastSeenOffset) {
            LOG.fine(() -> "Record " + entry.offset() + " was taken into account already");
            return Optional.empty();
        }
        lastSeenOffset = entry.offset();
        if (entry.message() instanceof OrderMessage.Batch batch) {
            OrderMessage.BatchKey key = batch.key();
            if (pendingKeys.contains(key) || cutSinceStored.containsKey(key)
                    || taken.contains(batch.nodeId(), batch.batchId())) {
                report(new SkippedMessage(entry.offset(), Instant.ofEpochMilli(entry.logTime()),
                        SkipReason.DUPLICATE_BATCH, batch.nodeId(), "batch " + batch.batchId()
                                + " was taken before", null));
                return Optional.empty();
            }
            pending.add(new CutBlock.BatchEntry(entry.offset(), entry.logTime(), batch));
            pendingKeys.add(key);
            pendingTransactions += batch.txCount();
            pendingBytes += batch.payloadSize();
            if (pendingTransactions >= policy.maxTransactions() || pendingBytes >= policy.maxBytes()) {
                return Optional.of(cut(entry));
            }
            return Optional.empty();
        }
        OrderMessage.TimeToCut timeToCut = (OrderMessage.TimeToCut) entry.message();
        if (timeToCut.height() == nextHeight && !pending.isEmpty()) {
            return Optional.of(cut(entry));
        }
        LOG.finer(() -> "Time-to-cut " + timeToCut.height() + " from " + timeToCut.nodeId() + " at " + entry.offset()
                + " ignored (pending block " + nextHeight + ", " + pending.size() + " batches)");
        return Optional.empty();
    }

    /**
     * The record at {@code offset} did not verify and no block takes it: the cutter moves past it
     * (the next block's offset range still covers it).
     */
    public void skip(long offset) {
        lastSeenOffset = Math.max(lastSeenOffset, offset);
    }

    private CutBlock cut(LogEntry last) {
        lastBlockTime = Math.max(lastBlockTime, last.logTime());
        CutBlock block = new CutBlock(nextHeight, lastBlockOffset + 1, last.offset(),
                Instant.ofEpochMilli(lastBlockTime), pending, last.valueSha256());
        for (OrderMessage.BatchKey key : pendingKeys) {
            cutSinceStored.put(key, nextHeight);
        }
        pending.clear();
        pendingKeys.clear();
        pendingTransactions = 0;
        pendingBytes = 0;
        lastBlockOffset = last.offset();
        nextHeight++;
        return block;
    }

    /**
     * The ledger now holds the blocks up to {@code height}, and {@link TakenBatches} answers for their
     * batches: the cutter forgets them (it would otherwise remember every batch of its run).
     */
    public void stored(long height) {
        Iterator<Long> heights = cutSinceStored.values().iterator();
        while (heights.hasNext()) {
            if (heights.next() <= height) {
                heights.remove();
            }
        }
    }

    /** The height the pending block will get. */
    public long pendingHeight() {
        return nextHeight;
    }

    /** Whether a batch waits for its block to be cut. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The offset of the next record to offer (records before it are ignored). */
    public long nextOffset() {
        return lastSeenOffset + 1;
    }

    /** The state after the last block cut: what the node stores with that block. */
    public CutterState state() {
        return new CutterState(nextHeight, Instant.ofEpochMilli(lastBlockTime), lastBlockOffset);
    }

    private void report(SkippedMessage skipped) {
        LOG.warning("Skipped order log record: " + skipped);
        try {
            skips.skipped(skipped);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The skip listener failed on " + skipped, e);
        }
    }
}
