package org.meshledger.ledger.ordering.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The cut rule every node applies to the order log: by count, by bytes, by the first time-to-cut in
 * the log, with block times that never go back, duplicates taken once, bad records skipped the same
 * way everywhere, and the same blocks after a restart from what a node stores with its last block.
 */
class BlockCutterTest {

    private static final CutPolicy TEN_TX = new CutPolicy(10, 1 << 20);
    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    private final List<SkippedMessage> skipped = new ArrayList<>();
    private long offset;

    @Test
    void aBlockIsCutOnceItHoldsMaxTransactionsAndABatchIsNeverSplit() {
        BlockCutter cutter = cutter(TEN_TX, CutterState.initial(1));
        assertTrue(offer(cutter, batch(4)).isEmpty());
        assertTrue(offer(cutter, batch(4)).isEmpty());
        assertTrue(cutter.hasPending());
        CutBlock first = offer(cutter, batch(3)).orElseThrow();
        assertEquals(1, first.height());
        assertEquals(0, first.firstOffset());
        assertEquals(2, first.lastOffset());
        assertEquals(11, first.transactionCount(), "the last batch goes in whole");
        assertEquals(List.of(0L, 1L, 2L), first.batches().stream().map(CutBlock.BatchEntry::offset).toList());
        assertFalse(cutter.hasPending());

        CutBlock alone = offer(cutter, batch(25)).orElseThrow();
        assertEquals(2, alone.height());
        assertEquals(25, alone.transactionCount(), "a batch larger than a block is a block of its own");
        assertEquals(3, alone.firstOffset());

        assertTrue(offer(cutter, batch(9)).isEmpty());
        CutBlock exactly = offer(cutter, batch(1)).orElseThrow();
        assertEquals(10, exactly.transactionCount(), "cut at maxTransactions, not above it");
    }

    @Test
    void aBlockIsCutOnceItsPayloadReachesMaxBytes() {
        BlockCutter cutter = cutter(new CutPolicy(1000, 100), CutterState.initial(1));
        assertTrue(offer(cutter, batch(1, 40)).isEmpty());
        assertTrue(offer(cutter, batch(1, 40)).isEmpty());
        CutBlock block = offer(cutter, batch(1, 30)).orElseThrow();
        assertEquals(110, block.payloadBytes());
        assertEquals(3, block.batches().size());
        assertTrue(offer(cutter, batch(1, 50)).isEmpty());
        assertEquals(100, offer(cutter, batch(1, 50)).orElseThrow().payloadBytes(), "cut at maxBytes, not above");
        assertEquals(500, offer(cutter, batch(1, 500)).orElseThrow().payloadBytes());
    }

    @Test
    void theFirstTimeToCutForTheHeightWinsAndLaterOnesAreIgnored() {
        BlockCutter cutter = cutter(TEN_TX, CutterState.initial(1));
        offer(cutter, batch(1));
        CutBlock cut = offer(cutter, timeToCut(TestNodes.OWNER, 1)).orElseThrow();
        assertEquals(1, cut.height());
        assertEquals(0, cut.firstOffset());
        assertEquals(1, cut.lastOffset(), "the block ends at the time-to-cut that cut it");
        assertEquals(1, cut.batches().size());
        // The servicer asked too, later: block 1 is cut already.
        assertTrue(offer(cutter, timeToCut(TestNodes.SERVICER, 1)).isEmpty());
        offer(cutter, batch(2));
        assertTrue(offer(cutter, timeToCut(TestNodes.SERVICER, 1)).isEmpty(), "a time-to-cut for block 1 does not cut block 2");
        assertTrue(cutter.hasPending());
        CutBlock second = offer(cutter, timeToCut(TestNodes.SERVICER, 2)).orElseThrow();
        assertEquals(2, second.height());
        assertEquals(2, second.firstOffset(), "the ignored time-to-cut at offset 2 is inside block 2's range");
        assertEquals(5, second.lastOffset());
        assertTrue(offer(cutter, timeToCut(TestNodes.OWNER, 2)).isEmpty());
        assertFalse(cutter.hasPending());
    }

    @Test
    void aTimeToCutForAnotherHeightOrWithNothingPendingIsIgnored() {
        BlockCutter cutter = cutter(TEN_TX, new CutterState(5, Instant.ofEpochMilli(T0), -1));
        assertTrue(offer(cutter, timeToCut(TestNodes.OWNER, 5)).isEmpty(), "nothing pending");
        offer(cutter, batch(1));
        assertTrue(offer(cutter, timeToCut(TestNodes.OWNER, 4)).isEmpty(), "stale");
        assertTrue(offer(cutter, timeToCut(TestNodes.OWNER, 6)).isEmpty(), "future");
        assertTrue(offer(cutter, timeToCut(TestNodes.OWNER, 0)).isEmpty());
        assertTrue(cutter.hasPending());
        // The one that found nothing pending did not use up height 5.
        CutBlock block = offer(cutter, timeToCut(TestNodes.SERVICER, 5)).orElseThrow();
        assertEquals(5, block.height());
        assertEquals(0, block.firstOffset());
        assertEquals(5, block.lastOffset());
    }

    @Test
    void blockTimeComesFromTheLogAndNeverMovesBackwards() {
        BlockCutter cutter = cutter(new CutPolicy(1, 1 << 20), CutterState.initial(1));
        assertEquals(Instant.ofEpochMilli(T0 + 1000), offerAt(cutter, T0 + 1000, batch(1)).orElseThrow().time());
        // A broker whose clock went back (a new leader, a corrected clock).
        assertEquals(Instant.ofEpochMilli(T0 + 1000), offerAt(cutter, T0 + 500, batch(1)).orElseThrow().time());
        assertEquals(Instant.ofEpochMilli(T0 + 2000), offerAt(cutter, T0 + 2000, batch(1)).orElseThrow().time());

        BlockCutter timed = cutter(TEN_TX, CutterState.initial(1));
        offerAt(timed, T0 + 9000, batch(1));
        assertEquals(Instant.ofEpochMilli(T0 + 9100), offerAt(timed, T0 + 9100, timeToCut(TestNodes.OWNER, 1))
                .orElseThrow().time(), "the time of the record that cut the block, not of its first batch");

        // A restarted cutter keeps to the stored time.
        BlockCutter restarted = cutter(new CutPolicy(1, 1 << 20), new CutterState(4, Instant.ofEpochMilli(T0 + 5000), 20));
        offset = 21;
        assertEquals(Instant.ofEpochMilli(T0 + 5000), offerAt(restarted, T0 + 10, batch(1)).orElseThrow().time());
    }

    @Test
    void aBatchReadTwiceIsTakenOnceWhereverTheSecondCopyIs() {
        List<OrderMessage.BatchKey> storedKeys = new ArrayList<>();
        BlockCutter cutter = new BlockCutter(new CutPolicy(3, 1 << 20), CutterState.initial(1),
                (node, id) -> storedKeys.contains(new OrderMessage.BatchKey(node, id)), skipped::add);
        OrderMessage.Batch a = batch(1);
        OrderMessage.Batch b = batch(1);
        offer(cutter, a);
        assertTrue(offer(cutter, a).isEmpty(), "in the pending block");
        offer(cutter, b);
        // The same batch id from another node is another batch.
        OrderMessage.Batch othersB = new OrderMessage.Batch(TestNodes.OWNER, b.batchId(), 1, new byte[1]);
        CutBlock first = offer(cutter, othersB).orElseThrow();
        assertEquals(List.of(a, b, othersB), first.batches().stream().map(CutBlock.BatchEntry::batch).toList());
        assertEquals(List.of(1L), offsetsOf(skipped));

        assertTrue(offer(cutter, b).isEmpty(), "in a block cut, not stored yet");
        first.batches().forEach(e -> storedKeys.add(e.batch().key()));
        cutter.stored(first.height());
        assertTrue(offer(cutter, a).isEmpty(), "in a stored block");
        // Even a copy with another payload: the first one counts.
        assertTrue(offer(cutter, new OrderMessage.Batch(a.nodeId(), a.batchId(), 5, new byte[9])).isEmpty());
        assertEquals(List.of(1L, 4L, 5L, 6L), offsetsOf(skipped));
        assertTrue(skipped.stream().allMatch(s -> s.reason() == SkipReason.DUPLICATE_BATCH
                && TestNodes.SERVICER.equals(s.nodeId())));
        assertFalse(cutter.hasPending());
        offer(cutter, batch(3));
        assertEquals(2, cutter.pendingHeight() - 1, "one more block cut");
    }

    @Test
    void recordsAlreadyTakenIntoAccountAreIgnored() {
        BlockCutter cutter = cutter(TEN_TX, CutterState.initial(1));
        offer(cutter, batch(4));
        offset = 0;
        // The same offset delivered again (a consumer that went back): not a second batch.
        assertTrue(offer(cutter, batch(9)).isEmpty());
        assertTrue(skipped.isEmpty());
        assertEquals(1, cutter.nextOffset());
    }

    @Test
    void badRecordsAreSkippedTheSameWayOnEveryNodeAndReported() {
        List<Record> log = new ArrayList<>();
        OrderMessageCodec writer = TestNodes.codec();
        log.add(record(writer.encode(batch(2), TestNodes.signer(TestNodes.SERVICER))));
        // Signed with the owner's key in the servicer's name.
        log.add(record(writer.encode(batch(2), TestNodes.signer(TestNodes.OWNER))));
        log.add(record(writer.encode(new OrderMessage.Batch(TestNodes.STRANGER, UUID.randomUUID(), 2, new byte[4]),
                TestNodes.signer(TestNodes.STRANGER))));
        OrderMessageCodec otherNetwork = new OrderMessageCodec("other", java.util.Map.of(), 1 << 20);
        log.add(record(otherNetwork.encode(batch(2), TestNodes.signer(TestNodes.SERVICER))));
        log.add(record("garbage".getBytes(StandardCharsets.UTF_8)));
        log.add(record(null));
        byte[] oversized = TestNodes.codec(1 << 22).encode(new OrderMessage.Batch(TestNodes.OWNER, UUID.randomUUID(), 2,
                new byte[(1 << 20) + 1]), TestNodes.signer(TestNodes.OWNER));
        log.add(record(oversized));
        OrderMessage.Batch last = new OrderMessage.Batch(TestNodes.OWNER, UUID.randomUUID(), 8, new byte[8]);
        log.add(record(writer.encode(last, TestNodes.signer(TestNodes.OWNER))));

        List<SkippedMessage> servicerSaw = new ArrayList<>();
        List<SkippedMessage> ownerSaw = new ArrayList<>();
        List<CutBlock> servicerCut = follow(log, servicerSaw);
        List<CutBlock> ownerCut = follow(log, ownerSaw);

        assertEquals(servicerCut, ownerCut);
        assertEquals(1, servicerCut.size());
        CutBlock block = servicerCut.get(0);
        assertEquals(List.of(0L, 7L), block.batches().stream().map(CutBlock.BatchEntry::offset).toList(),
                "only the verified batches");
        assertEquals(0, block.firstOffset());
        assertEquals(7, block.lastOffset(), "the skipped records lie inside the block's range");
        assertEquals(10, block.transactionCount());

        List<SkipReason> reasons = List.of(SkipReason.BAD_SIGNATURE, SkipReason.UNKNOWN_NODE, SkipReason.OTHER_NETWORK,
                SkipReason.MALFORMED, SkipReason.MALFORMED, SkipReason.OVERSIZED);
        assertEquals(reasons, servicerSaw.stream().map(SkippedMessage::reason).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), offsetsOf(servicerSaw));
        assertEquals(summary(servicerSaw), summary(ownerSaw));
        assertNull(servicerSaw.get(5).value(), "an oversized record's bytes are not kept");
        assertNotNull(servicerSaw.get(0).value(), "a forged record is kept as evidence");
        assertEquals(TestNodes.STRANGER, servicerSaw.get(1).nodeId());
    }

    /**
     * Two nodes read the same log; one crashes after each record in turn, restarts from what it
     * stored with its last block (batches may be pending), and reads on from there. Every run cuts
     * the blocks of the node that never stopped.
     */
    @Test
    void aRestartFromTheStoredStateCutsTheSameBlocksEvenWithBatchesPending() {
        List<Decoded> log = randomLog(new Random(20261204), 400);
        assertTrue(log.stream().filter(d -> d.entry == null).count() > 10, "forged and garbage records among them");
        CutPolicy policy = new CutPolicy(12, 600);
        List<CutBlock> never = new Node(policy, CutterState.initial(1)).read(log, log.size());
        assertTrue(never.size() > 20, "a log of many blocks: " + never.size());
        assertTrue(never.stream().anyMatch(b -> b.lastOffset() - b.firstOffset() + 1 > b.batches().size()),
                "some blocks end at a time-to-cut or cover skipped records");

        int pendingAtCrash = 0;
        for (int crash = 0; crash <= log.size(); crash++) {
            Node node = new Node(policy, CutterState.initial(1));
            List<CutBlock> cut = new ArrayList<>(node.read(log, crash));
            if (node.cutter.hasPending()) {
                pendingAtCrash++;
            }
            Node restarted = node.restart(policy);
            List<Decoded> rest = log.stream().filter(r -> r.offset >= restarted.resume).toList();
            cut.addAll(restarted.read(rest, rest.size()));
            for (int i = 0; i < Math.min(never.size(), cut.size()); i++) {
                assertEquals(never.get(i), cut.get(i), "crash after record " + crash + ": block " + (i + 1));
            }
            assertEquals(never.size(), cut.size(), "crash after record " + crash + ": blocks cut");
        }
        assertTrue(pendingAtCrash > 100, "crashes with batches pending: " + pendingAtCrash);
    }

    // -- a node: follower, cutter and what it stores with each block --

    private static final class Node {
        final BlockCutter cutter;
        final List<CutBlock> stored = new ArrayList<>();
        final Set<OrderMessage.BatchKey> storedKeys;
        final long resume;

        Node(CutPolicy policy, CutterState state) {
            this(policy, state, new HashSet<>());
        }

        private Node(CutPolicy policy, CutterState state, Set<OrderMessage.BatchKey> keys) {
            this.storedKeys = keys;
            this.resume = state.resumeOffset();
            this.cutter = new BlockCutter(policy, state,
                    (node, id) -> storedKeys.contains(new OrderMessage.BatchKey(node, id)), SkipListener.NONE);
        }

        /** Feeds the first {@code count} records (decoded once, as the follower would) and stores each block. */
        List<CutBlock> read(List<Decoded> log, int count) {
            List<CutBlock> cut = new ArrayList<>();
            for (Decoded record : log.subList(0, count)) {
                if (record.entry == null) {
                    cutter.skip(record.offset);
                    continue;
                }
                cutter.offer(record.entry).ifPresent(block -> {
                    cut.add(block);
                    stored.add(block);
                    block.batches().forEach(e -> storedKeys.add(e.batch().key()));
                    cutter.stored(block.height());
                });
            }
            return cut;
        }

        /** A new process on what this one stored: its last block's state and the batch keys. */
        Node restart(CutPolicy policy) {
            CutterState state = stored.isEmpty() ? CutterState.initial(1) : stored.get(stored.size() - 1).stateAfter();
            return new Node(policy, state, new HashSet<>(storedKeys));
        }
    }

    /** A record of the log as the follower hands it to the cutter: a verified entry, or null when skipped. */
    private record Decoded(long offset, LogEntry entry) {

        static Decoded of(Record record) {
            OrderMessageCodec.Decoded decoded = TestNodes.codec().decode(record.value);
            return new Decoded(record.offset, decoded.verified() ? new LogEntry(record.offset, record.time,
                    decoded.message(), OrderLogFollower.sha256(record.value)) : null);
        }
    }

    /**
     * Batches of two nodes with 1..6 transactions and up to 150 bytes, time-to-cuts for the
     * pending, a stale and a future height, repeated batches (some long after the first copy),
     * forged and garbage records, and timestamps that now and then go back.
     */
    private List<Decoded> randomLog(Random random, int size) {
        OrderMessageCodec writer = TestNodes.codec();
        List<OrderMessage.Batch> sent = new ArrayList<>();
        List<Decoded> log = new ArrayList<>();
        // Heights are what a node would see; a stand-in cutter follows the log to aim the time-to-cuts.
        Node guide = new Node(new CutPolicy(12, 600), CutterState.initial(1));
        long time = T0;
        for (int i = 0; i < size; i++) {
            time += random.nextInt(10) < 2 ? -random.nextInt(50) : random.nextInt(30);
            String node = random.nextBoolean() ? TestNodes.SERVICER : TestNodes.OWNER;
            int kind = random.nextInt(100);
            byte[] value;
            if (kind < 60) {
                OrderMessage.Batch batch = new OrderMessage.Batch(node, new UUID(random.nextLong(), random.nextLong()),
                        1 + random.nextInt(6), bytes(random, random.nextInt(150)));
                sent.add(batch);
                value = writer.encode(batch, TestNodes.signer(node));
            } else if (kind < 68 && !sent.isEmpty()) {
                OrderMessage.Batch again = sent.get(random.nextInt(sent.size()));
                value = writer.encode(again, TestNodes.signer(again.nodeId()));
            } else if (kind < 90) {
                long pending = guide.cutter.pendingHeight();
                long height = random.nextInt(10) < 7 ? pending : pending + random.nextInt(3) - 1;
                value = writer.encode(new OrderMessage.TimeToCut(node, Math.max(0, height)), TestNodes.signer(node));
            } else if (kind < 95) {
                value = writer.encode(new OrderMessage.Batch(node, UUID.randomUUID(), 3, new byte[3]),
                        TestNodes.signer(node.equals(TestNodes.SERVICER) ? TestNodes.OWNER : TestNodes.SERVICER));
            } else {
                value = bytes(random, random.nextInt(40));
            }
            Decoded record = Decoded.of(new Record(i, time, value));
            log.add(record);
            guide.read(List.of(record), 1);
        }
        return log;
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private record Record(long offset, long time, byte[] value) {
    }

    private Record record(byte[] value) {
        return new Record(offset++, T0 + offset, value);
    }

    private static List<CutBlock> follow(List<Record> log, List<SkippedMessage> skips) {
        OrderLogFollower follower = new OrderLogFollower(TestNodes.codec(), new BlockCutter(TEN_TX,
                CutterState.initial(1), TakenBatches.NONE, skips::add), skips::add);
        List<CutBlock> cut = new ArrayList<>();
        log.forEach(r -> follower.accept(r.offset, r.time, r.value).ifPresent(cut::add));
        return cut;
    }

    private static List<String> summary(List<SkippedMessage> skips) {
        return skips.stream().map(s -> s.offset() + " " + s.reason() + " " + s.nodeId()).toList();
    }

    private static List<Long> offsetsOf(List<SkippedMessage> skips) {
        return skips.stream().map(SkippedMessage::offset).toList();
    }

    // -- feeding verified entries straight to a cutter --

    private BlockCutter cutter(CutPolicy policy, CutterState state) {
        return new BlockCutter(policy, state, TakenBatches.NONE, skipped::add);
    }

    private Optional<CutBlock> offer(BlockCutter cutter, OrderMessage message) {
        return offerAt(cutter, T0 + offset, message);
    }

    private Optional<CutBlock> offerAt(BlockCutter cutter, long time, OrderMessage message) {
        long at = offset++;
        return cutter.offer(new LogEntry(at, time, message, OrderLogFollower.sha256(new byte[] {(byte) at})));
    }

    private static OrderMessage.Batch batch(int transactions) {
        return batch(transactions, 10);
    }

    private static OrderMessage.Batch batch(int transactions, int bytes) {
        return new OrderMessage.Batch(TestNodes.SERVICER, UUID.randomUUID(), transactions, new byte[bytes]);
    }

    private static OrderMessage.TimeToCut timeToCut(String node, long height) {
        return new OrderMessage.TimeToCut(node, height);
    }
}
