package org.meshledger.ledger.ordering.network;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.meshledger.ledger.agreement.Agreement;
import org.meshledger.ledger.agreement.Checkpoint;
import org.meshledger.ledger.agreement.SignedCheckpoint;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.block.NetworkBlockApplier;
import org.meshledger.ledger.block.NetworkBlockApplier.OrderedTransaction;
import org.meshledger.ledger.block.RecordState;
import org.meshledger.ledger.block.RejectedException;
import org.meshledger.ledger.block.SealedTransaction;
import org.meshledger.ledger.block.TransactionSealer;
import org.meshledger.ledger.block.TransactionSealer.HeldRecord;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.ordering.BatchCodec;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.ordering.SealedBatch;
import org.meshledger.ledger.ordering.Ticket;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.ordering.kafka.CheckpointTopic;
import org.meshledger.ledger.ordering.kafka.CutBlock;
import org.meshledger.ledger.ordering.kafka.LogIdentity;
import org.meshledger.ledger.ordering.kafka.OrderLogListener;
import org.meshledger.ledger.ordering.kafka.OrderPublisher;
import org.meshledger.ledger.ordering.kafka.SkippedMessage;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.PublicTransactions;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.ledger.transaction.VersionRef;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.network.OrderPositionStore;
import org.meshledger.persistence.network.OrderWrite;

/**
 * Ordering for one node of a network of nodes, on the network's order log (Kafka):
 * <ol>
 * <li><b>submit</b>: submissions queue up; one thread (the batcher) takes them in batches, seals
 * each against the records as this node holds them, overlaid with its own changes still on their
 * way ({@link TransactionSealer}: public part, and views for each entitled node), writes the batch
 * ({@link BatchCodec}) and publishes it, signed. The publish is answered on Kafka's thread: the
 * transactions are then {@code accepted} (durably in the log);
 * <li><b>apply</b>: the order log's reader hands every block the log cuts, in order, on its own
 * thread; its batches are read (each batch from any node; this node's views opened), and the block
 * is applied and written with this node's position in the log ({@link NetworkBlockApplier}); this
 * node's submissions in it are answered as committed;
 * <li><b>agree</b>: then this node signs a checkpoint of the block and publishes it; the others'
 * are read and compared ({@link Agreement}), which answers the levels {@code quorum} and
 * {@code all}. A node in the minority takes no more writes.
 * </ol>
 *
 * <p>Failures: a submission that cannot succeed on the records as this node holds them is answered
 * at once, rejected, and never ordered. A publish that fails is repeated (same batch id: the log
 * takes a batch once) until the batch's deadline; a batch the log appends after its deadline is
 * ignored by every node, so a submission whose publish never succeeded is answered 503 (retry with
 * the same idempotency key). While Kafka is away, new submissions are answered 503 at once. A block
 * that cannot be written stops the reader (the node restarts from its stored position). A batch
 * that does not read, or a view that does not open or match, is skipped or kept without values and
 * reported, the same on every node where it matters for hashes.
 */
public final class NetworkOrdering implements TransactionOrdering {

    private static final Logger LOG = Logger.getLogger(NetworkOrdering.class.getName());

    /**
     * @param maxBatchTransactions how many submissions one batch carries at most
     * @param batchWait how long the batcher waits for more after the first, while a publish is on its way
     * @param deadline how long after it is sealed a batch may still be ordered
     * @param queueCapacity how many submissions may wait (back-pressure)
     * @param unavailableFor how long after a failed publish new submissions are refused at once
     */
    public record Settings(int maxBatchTransactions, Duration batchWait, Duration deadline, int queueCapacity,
            Duration unavailableFor) {

        public static final Settings DEFAULT = new Settings(500, Duration.ofMillis(2), Duration.ofSeconds(15),
                100_000, Duration.ofSeconds(2));
    }

    /** The parts a node's network ordering works with. */
    public record Parts(String self, LedgerStore store, OrderPositionStore positions, ChainState chain,
            NetworkBlockApplier applier, TransactionSealer sealer, BatchCodec codec, OrderPublisher publisher,
            CheckpointTopic checkpoints, Agreement agreement, LogIdentity identity,
            org.meshledger.ledger.network.NetworkDefinition network, java.util.function.Function<byte[], byte[]> signer) {
    }

    private record Pending(Submission submission, Ticket ticket) {
    }

    /** A change this node sealed and has not seen applied yet. */
    private record Overlay(UUID txId, HeldRecord record) {
    }

    private final Parts parts;
    private final Settings settings;
    private final Clock clock;
    private final Consumer<String> evidence;
    private final BlockingQueue<Pending> queue;
    private final ConcurrentHashMap<String, Ticket> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Pending> waiting = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RecordKey, Overlay> overlay = new ConcurrentHashMap<>();
    /** This node's batches on their way, by id: their submissions are answered once the log has them in a block. */
    private final ConcurrentHashMap<UUID, List<Pending>> batches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final Thread batcher;
    private volatile boolean closing;
    private volatile long unavailableUntil;
    private volatile String unavailableBecause;
    /** Test-only fault switch: the block at this height is written with another time (a divergent ledger). */
    private volatile long divergeAt = -1;

    public NetworkOrdering(Parts parts, Settings settings, ThreadFactory threads, Clock clock,
            Consumer<String> evidence) {
        this.parts = parts;
        this.settings = settings;
        this.clock = clock;
        this.evidence = evidence;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = threads.newThread(runnable);
            thread.setName("meshledger-order-retry");
            return thread;
        });
        this.batcher = threads.newThread(this::batch);
        batcher.setName("meshledger-order-batcher");
        batcher.start();
    }

    /** The reader's side: hand this to the order log's consumer. */
    public OrderLogListener listener() {
        return new OrderLogListener() {
            @Override
            public void block(CutBlock block) throws Exception {
                apply(block);
            }

            @Override
            public void skipped(SkippedMessage message) {
                evidence.accept("order log record " + message.offset() + " skipped (" + message.reason() + "): "
                        + message.detail());
            }

            @Override
            public void halted(Throwable cause) {
                LOG.log(Level.SEVERE, "The order log's reader stopped; the node applies no more blocks until it "
                        + "restarts", cause);
            }
        };
    }

    /** Reads a checkpoint message of the checkpoints topic. */
    public void checkpointReceived(byte[] message) {
        SignedCheckpoint.decode(message, parts.network().id(), node -> parts.network().node(node)
                .map(org.meshledger.ledger.network.NodeDefinition::signingKey).orElse(null))
                .ifPresentOrElse(parts.agreement()::record,
                        () -> evidence.accept("a checkpoint message that does not verify was ignored"));
    }

    public Agreement agreement() {
        return parts.agreement();
    }

    @Override
    public Ticket submit(Submission submission) {
        if (closing) {
            throw new LedgerUnavailableException("The ledger is stopping; retry with the same idempotency key");
        }
        if (parts.agreement().halted() != null) {
            throw new LedgerUnavailableException("This node diverged from the network and takes no writes: "
                    + parts.agreement().halted().detail());
        }
        if (System.nanoTime() - unavailableUntil < 0) {
            throw new LedgerUnavailableException("The network's order log (Kafka) cannot be reached ("
                    + unavailableBecause + "): nothing was ordered; retry shortly with the same idempotency key");
        }
        var host = parts.network().hostOf(submission.principal().party());
        if (host.isPresent() && !host.get().id().equals(parts.self())) {
            throw new org.meshledger.ledger.identity.HostedElsewhereException(submission.principal().party(),
                    new org.meshledger.ledger.identity.PartyHosting.Host(host.get().id(), host.get().address()),
                    parts.self());
        }
        String scope = submission.idempotencyScope();
        Ticket ticket = Ticket.pending();
        if (scope != null) {
            Ticket first = inFlight.putIfAbsent(scope, ticket);
            if (first != null) {
                return first.asRepeat();
            }
        }
        if (!queue.offer(new Pending(submission, ticket))) {
            release(submission, ticket);
            throw new LedgerUnavailableException("The node has " + settings.queueCapacity()
                    + " transactions waiting to be ordered; retry shortly");
        }
        return ticket;
    }

    private void batch() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long until = System.nanoTime() + settings.batchWait().toNanos();
                while (batch.size() < settings.maxBatchTransactions()) {
                    queue.drainTo(batch, settings.maxBatchTransactions() - batch.size());
                    long left = until - System.nanoTime();
                    if (batch.size() >= settings.maxBatchTransactions() || left <= 0) {
                        break;
                    }
                    Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                sealAndPublish(List.copyOf(batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, new LedgerUnavailableException("The ledger stopped before this transaction was ordered"));
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "A batch of " + batch.size() + " submissions could not be sealed", e);
                fail(batch, new LedgerUnavailableException("This transaction could not be prepared for the network: "
                        + "nothing was ordered; retry with the same idempotency key", e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Seals each submission on the records as this node holds them, then publishes those that can succeed. */
    private void sealAndPublish(List<Pending> batch) {
        Map<RecordKey, RecordVersionRow> committed;
        try {
            Set<RecordKey> keys = new LinkedHashSet<>();
            batch.forEach(p -> p.submission().request().operations()
                    .forEach(op -> keys.add(new RecordKey(op.type(), op.id()))));
            committed = parts.store().current(keys);
        } catch (SQLException e) {
            fail(batch, new LedgerUnavailableException("The node's database cannot be read: nothing was ordered; "
                    + "retry with the same idempotency key", e));
            return;
        }
        List<Pending> sealedPending = new ArrayList<>();
        List<SealedTransaction> sealed = new ArrayList<>();
        for (Pending pending : batch) {
            try {
                TransactionSealer.Sealed result = parts.sealer().sealWithStates(pending.submission(),
                        key -> held(key, committed));
                UUID txId = pending.submission().txId();
                result.after().forEach((key, record) -> overlay.put(key, new Overlay(txId, record)));
                sealed.add(result.sealed());
                sealedPending.add(pending);
                waiting.put(txId, pending);
            } catch (RejectedException e) {
                TransactionOutcome rejected = new TransactionOutcome(pending.submission().txId(),
                        TransactionStatus.REJECTED, 0, -1, null, clock.instant(), List.of(), e.rejection(), false);
                pending.ticket().accepted().complete(rejected);
                pending.ticket().committed().complete(rejected);
                release(pending.submission(), pending.ticket());
            }
        }
        if (!sealed.isEmpty()) {
            publish(sealedPending, sealed);
        }
    }

    /** A record as this node holds it, with its own changes on their way laid over it. */
    private HeldRecord held(RecordKey key, Map<RecordKey, RecordVersionRow> committed) {
        Overlay pending = overlay.get(key);
        RecordVersionRow row = committed.get(key);
        if (pending != null && (row == null || pending.record().state().version() > row.version())) {
            return pending.record();
        }
        if (row == null) {
            return HeldRecord.ABSENT;
        }
        return new HeldRecord(new RecordState(row.version(), row.deleted() ? null : Json.parse(row.state()),
                row.ownerParty(), RecordAccess.stored(row.access())), row.deleted() || row.salt() != null);
    }

    /** Publishes one batch (split in two while it is too large for a message). */
    private void publish(List<Pending> pending, List<SealedTransaction> sealed) {
        UUID batchId = UUID.randomUUID();
        Instant deadline = clock.instant().plus(settings.deadline()).truncatedTo(ChronoUnit.MILLIS);
        byte[] payload = parts.codec().encode(parts.self(), batchId, deadline, sealed);
        if (payload.length > parts.publisher().maxPayloadBytes() && sealed.size() > 1) {
            int half = sealed.size() / 2;
            publish(pending.subList(0, half), sealed.subList(0, half));
            publish(pending.subList(half, pending.size()), sealed.subList(half, sealed.size()));
            return;
        }
        if (payload.length > parts.publisher().maxPayloadBytes()) {
            forget(pending, new LedgerUnavailableException("This transaction is too large for the network's order log ("
                    + payload.length + " bytes sealed, at most " + parts.publisher().maxPayloadBytes() + ")"));
            return;
        }
        batches.put(batchId, List.copyOf(pending));
        attempt(pending, batchId, sealed.size(), payload, deadline);
    }

    private void attempt(List<Pending> pending, UUID batchId, int count, byte[] payload, Instant deadline) {
        parts.publisher().publishBatch(batchId, count, payload).whenComplete((offset, failure) -> {
            if (failure == null) {
                for (Pending p : pending) {
                    p.ticket().accepted().complete(new TransactionOutcome(p.submission().txId(),
                            TransactionStatus.ACCEPTED, 0, -1, null, clock.instant(), List.of(), null, false));
                }
                return;
            }
            unavailableBecause = rootMessage(failure);
            unavailableUntil = System.nanoTime() + settings.unavailableFor().toNanos();
            if (clock.instant().plus(Duration.ofSeconds(1)).isBefore(deadline) && !closing) {
                retries.schedule(() -> attempt(pending, batchId, count, payload, deadline), 500,
                        TimeUnit.MILLISECONDS);
            } else {
                LOG.warning("Batch " + batchId + " could not be published before its deadline " + deadline + ": "
                        + unavailableBecause);
                batches.remove(batchId);
                forget(pending, new LedgerUnavailableException("The network's order log (Kafka) could not take this "
                        + "transaction before its deadline (" + deadline + "), after which every node ignores it; "
                        + "retry with the same idempotency key (it answers the first outcome if one was ordered)"));
            }
        });
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** Submissions that will not be applied: answered with {@code failure}, their overlay dropped. */
    private void forget(List<Pending> pending, RuntimeException failure) {
        for (Pending p : pending) {
            waiting.remove(p.submission().txId());
            overlay.values().removeIf(o -> o.txId().equals(p.submission().txId()));
        }
        fail(pending, failure);
    }

    /** Applies a block the order log cut: on the reader's thread, one at a time, in order. */
    private void apply(CutBlock cut) throws SQLException {
        List<OrderedTransaction> ordered = new ArrayList<>();
        List<OrderWrite.TakenBatch> taken = new ArrayList<>();
        for (CutBlock.BatchEntry entry : cut.batches()) {
            String sender = entry.batch().nodeId();
            taken.add(new OrderWrite.TakenBatch(sender, entry.batch().batchId()));
            SealedBatch batch;
            try {
                batch = parts.codec().decode(sender, parts.self(), entry.batch().payload(),
                        problem -> evidence.accept(problem));
            } catch (PublicTransactions.MalformedException e) {
                evidence.accept("batch " + entry.batch().batchId() + " of node " + sender + " at offset "
                        + entry.offset() + " is refused: " + e.getMessage());
                continue;
            }
            if (batch.transactions().size() != entry.batch().txCount()) {
                evidence.accept("batch " + entry.batch().batchId() + " of node " + sender + " claims "
                        + entry.batch().txCount() + " transactions and holds " + batch.transactions().size()
                        + ": refused");
                continue;
            }
            if (entry.logTime() > batch.deadline().toEpochMilli()) {
                LOG.info("Batch " + batch.batchId() + " of node " + sender + " reached the log after its deadline "
                        + batch.deadline() + ": ignored by every node");
                continue;
            }
            ordered.addAll(batch.transactions());
        }
        ordered = withoutRepeatedIds(ordered);
        Set<UUID> inBlock = new HashSet<>();
        ordered.forEach(tx -> inBlock.add(tx.publicPart().txId()));
        for (CutBlock.BatchEntry entry : cut.batches()) {
            List<Pending> own = entry.batch().nodeId().equals(parts.self()) ? batches.remove(entry.batch().batchId())
                    : null;
            if (own != null) {
                List<Pending> left = own.stream().filter(p -> !inBlock.contains(p.submission().txId())).toList();
                if (!left.isEmpty()) {
                    forget(left, new LedgerUnavailableException("The network refused this node's batch (see the "
                            + "node's evidence log): nothing of it was applied; retry with the same idempotency key"));
                }
            }
        }
        Instant time = Instant.ofEpochMilli(cut.time().toEpochMilli());
        if (cut.height() == divergeAt) {
            time = time.plusMillis(1);
        }
        OrderWrite position = new OrderWrite(parts.identity().clusterId(), parts.identity().topicId(),
                cut.stateAfter().nextHeight(), cut.stateAfter().lastBlockTime(), cut.stateAfter().lastOffset(),
                cut.end().valueSha256(), cut.height(), taken);
        long before = parts.chain().height();
        List<TransactionOutcome> outcomes = ordered.isEmpty() ? List.of()
                : parts.applier().apply(ordered, time, LedgerHashing.orderRange(cut.firstOffset(), cut.lastOffset()),
                        position, parts.chain(), mismatch -> evidence.accept("node "
                                + parts.network().hostOf(mismatch.transaction().party()).map(n -> n.id()).orElse("?")
                                + " sent a view of " + mismatch.record() + " version " + mismatch.version()
                                + " that is not kept: " + mismatch.problem()));
        if (parts.chain().height() == before) {
            parts.positions().advance(position);
        }
        answer(ordered, outcomes);
        if (parts.chain().height() > before) {
            checkpoint(outcomes);
        }
    }

    /** Transactions whose id the ledger (or the block, earlier) already holds are not applied again. */
    private List<OrderedTransaction> withoutRepeatedIds(List<OrderedTransaction> ordered) throws SQLException {
        if (ordered.isEmpty()) {
            return ordered;
        }
        Set<UUID> ids = new HashSet<>();
        ordered.forEach(tx -> ids.add(tx.publicPart().txId()));
        Set<UUID> known = new HashSet<>(parts.store().transactionHeaders(ids).keySet());
        List<OrderedTransaction> fresh = new ArrayList<>();
        for (OrderedTransaction tx : ordered) {
            if (known.add(tx.publicPart().txId())) {
                fresh.add(tx);
            } else {
                evidence.accept("transaction " + tx.publicPart().txId() + " appears again in the order log: "
                        + "applied once");
            }
        }
        return fresh;
    }

    /** This node's submissions in the block are answered; their overlay gives way to the ledger. */
    private void answer(List<OrderedTransaction> ordered, List<TransactionOutcome> outcomes) {
        for (int i = 0; i < ordered.size(); i++) {
            UUID txId = ordered.get(i).publicPart().txId();
            Pending pending = waiting.remove(txId);
            TransactionOutcome outcome = outcomes.get(i);
            overlay.values().removeIf(o -> o.txId().equals(txId));
            if (outcome.status() == TransactionStatus.REJECTED) {
                // What this node sealed after it, on the same records, will conflict: it is the ledger's turn.
                for (Operation op : pending == null ? List.<Operation>of()
                        : pending.submission().request().operations()) {
                    overlay.remove(new RecordKey(op.type(), op.id()));
                }
            }
            if (pending != null) {
                pending.ticket().accepted().complete(outcome);
                pending.ticket().committed().complete(outcome);
                release(pending.submission(), pending.ticket());
            }
        }
    }

    /** Signs and publishes this node's checkpoint of the block just written. */
    private void checkpoint(List<TransactionOutcome> outcomes) {
        List<VersionRef> refs = new ArrayList<>();
        outcomes.stream().filter(o -> !o.repeated()).forEach(o -> refs.addAll(o.versions()));
        Base64.Encoder b64 = Base64.getEncoder();
        var tip = parts.chain().tip();
        Checkpoint checkpoint = new Checkpoint(parts.network().id(), parts.self(), tip.height(),
                b64.encodeToString(tip.lastHash()), b64.encodeToString(LedgerHashing.hash(LedgerHashing.versionRefs(refs))),
                b64.encodeToString(tip.tree().root()));
        SignedCheckpoint signed = new SignedCheckpoint(checkpoint, parts.signer().apply(checkpoint.signedBytes()));
        parts.agreement().record(signed);
        parts.checkpoints().publish(signed.encode()).whenComplete((offset, failure) -> {
            if (failure != null) {
                LOG.warning("The checkpoint of block " + checkpoint.height() + " could not be published: "
                        + failure.getMessage());
            }
        });
    }

    /** Test-only fault switch: writes the block cut at this height of the log with another time. */
    public void divergeAt(long cutHeight) {
        this.divergeAt = cutHeight;
    }

    private void fail(List<Pending> batch, RuntimeException failure) {
        for (Pending pending : batch) {
            pending.ticket().accepted().completeExceptionally(failure);
            pending.ticket().committed().completeExceptionally(failure);
            release(pending.submission(), pending.ticket());
        }
    }

    private void release(Submission submission, Ticket ticket) {
        String scope = submission.idempotencyScope();
        if (scope != null) {
            inFlight.remove(scope, ticket);
        }
    }

    /** How many of this node's submissions wait to be applied. */
    public int waiting() {
        return waiting.size();
    }

    @Override
    public void close() {
        closing = true;
        try {
            batcher.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retries.shutdownNow();
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.addAll(waiting.values());
        waiting.clear();
        fail(left, new LedgerUnavailableException("The ledger stopped before this transaction was applied on this "
                + "node; repeat it with the same idempotency key to learn its outcome"));
    }
}
