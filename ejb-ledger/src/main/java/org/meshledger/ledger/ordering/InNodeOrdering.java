package org.meshledger.ledger.ordering;

import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.meshledger.ledger.block.BlockApplier;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.block.ChainTip;
import org.meshledger.ledger.block.PreparedBlock;
import org.meshledger.ledger.block.ProposedBlock;
import org.meshledger.ledger.block.UncommittedStates;
import org.meshledger.ledger.transaction.Submission;

/**
 * Ordering inside one node: submissions queue up in arrival order; one thread (the cutter) cuts the
 * queue into blocks ({@link BlockPolicy}) and applies each on top of the one before, so the order is
 * total and a block's height is fixed when it is cut; a second thread (the writer) writes the
 * applied blocks in that order. They overlap: block n+1 is applied while block n is written, which
 * keeps the database, the bound of this path, busy. If a block cannot be written, the blocks
 * applied on top of it fail too and the cutter starts again from the committed chain. A repeated
 * idempotency key that is still on its way (until its block is committed) shares the first
 * submission's outcome.
 */
public final class InNodeOrdering implements TransactionOrdering {

    private static final Logger LOG = Logger.getLogger(InNodeOrdering.class.getName());
    /** How often a filling block looks whether the writer has become idle. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private record Pending(Submission submission, Ticket ticket) {
    }

    /** An applied block on its way to the writer; {@code generation} names the chain it builds on. */
    private record Applied(List<Pending> batch, PreparedBlock block, long generation) {
    }

    private final BlockApplier applier;
    private final ChainState chain;
    private final BlockPolicy policy;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final SynchronousQueue<Applied> toWriter = new SynchronousQueue<>();
    private final ConcurrentHashMap<String, Ticket> inFlight = new ConcurrentHashMap<>();
    private final UncommittedStates uncommitted = new UncommittedStates();
    /** Moves on when a block could not be written: whatever was applied on top of it is dropped. */
    private final AtomicLong generation = new AtomicLong();
    private final Thread cutter;
    private final Thread writer;
    private volatile boolean closing;
    /** Blocks handed to the writer and not yet written; while there are any, the next block keeps filling. */
    private final AtomicInteger unwritten = new AtomicInteger();

    public InNodeOrdering(BlockApplier applier, ChainState chain, BlockPolicy policy, ThreadFactory threads,
            Clock clock) {
        this.applier = applier;
        this.chain = chain;
        this.policy = policy;
        this.clock = clock;
        this.queue = new LinkedBlockingQueue<>(policy.queueCapacity());
        this.cutter = threads.newThread(this::cut);
        cutter.setName("meshledger-block-cutter");
        this.writer = threads.newThread(this::write);
        writer.setName("meshledger-block-writer");
        writer.start();
        cutter.start();
    }

    @Override
    public Ticket submit(Submission submission) {
        if (closing) {
            throw new LedgerUnavailableException("The ledger is stopping; retry with the same idempotency key");
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
            if (scope != null) {
                inFlight.remove(scope, ticket);
            }
            throw new LedgerUnavailableException("The ledger has " + policy.queueCapacity()
                    + " transactions waiting; retry shortly");
        }
        return ticket;
    }

    private void cut() {
        List<Pending> batch = new ArrayList<>(policy.maxTransactions());
        ChainTip tip = chain.tip();
        long built = generation.get();
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + policy.maxWait().toNanos();
                while (batch.size() < policy.maxTransactions()) {
                    queue.drainTo(batch, policy.maxTransactions() - batch.size());
                    long left = deadline - System.nanoTime();
                    // An idle writer takes the block at once: waiting would only add latency.
                    if (batch.size() >= policy.maxTransactions() || left <= 0 || unwritten.get() == 0) {
                        break;
                    }
                    Pending next = queue.poll(Math.min(left, IDLE_CHECK_NANOS), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                if (built != generation.get()) {
                    // A block could not be written: start again from what is committed.
                    built = generation.get();
                    uncommitted.clear();
                    tip = chain.tip();
                }
                PreparedBlock block = prepare(batch, tip);
                if (block == null) {
                    continue;
                }
                if (block.writesNothing()) {
                    complete(batch, block);
                    continue;
                }
                tip = block.tip();
                unwritten.incrementAndGet();
                toWriter.put(new Applied(List.copyOf(batch), block, built));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, new LedgerUnavailableException("The ledger stopped"));
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** The batch applied as the next block, or null (its tickets failed) if it could not be. */
    private PreparedBlock prepare(List<Pending> batch, ChainTip tip) {
        List<Submission> submissions = batch.stream().map(Pending::submission).toList();
        Map<Submission, Ticket> tickets = new IdentityHashMap<>();
        batch.forEach(pending -> tickets.put(pending.submission(), pending.ticket()));
        ProposedBlock block = new ProposedBlock(clock.instant().truncatedTo(ChronoUnit.MICROS), submissions);
        try {
            return applier.prepare(block, tip, uncommitted,
                    accepted -> tickets.get(accepted.submission()).accepted().complete(accepted.outcome()));
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "A block of " + batch.size() + " transactions could not be applied", e);
            fail(batch, new LedgerUnavailableException("The ledger could not apply this transaction's block ("
                    + e.getMessage() + "); nothing of it was written; retry with the same idempotency key", e));
            return null;
        }
    }

    private void write() {
        while (true) {
            Applied applied;
            try {
                applied = toWriter.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (applied == null) {
                if (!cutter.isAlive()) {
                    return;
                }
                continue;
            }
            if (applied.generation() != generation.get()) {
                fail(applied.batch(), new LedgerUnavailableException("An earlier block could not be written, so this "
                        + "transaction's block was not; nothing of it was written; retry with the same idempotency key"));
                unwritten.decrementAndGet();
                continue;
            }
            try {
                applier.write(applied.block(), chain);
                uncommitted.committed(applied.block().height());
                complete(applied.batch(), applied.block());
            } catch (SQLException | RuntimeException e) {
                generation.incrementAndGet();
                LOG.log(Level.SEVERE, "Block " + applied.block().height() + " of " + applied.batch().size()
                        + " transactions could not be written", e);
                fail(applied.batch(), new LedgerUnavailableException("The ledger could not write this transaction's "
                        + "block (" + e.getMessage() + "); nothing of it was written; retry with the same idempotency key",
                        e));
            } finally {
                unwritten.decrementAndGet();
            }
        }
    }

    private void complete(List<Pending> batch, PreparedBlock block) {
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            pending.ticket().accepted().complete(block.results().get(i).outcome());
            pending.ticket().committed().complete(block.results().get(i).outcome());
        }
        release(batch);
    }

    private void fail(List<Pending> batch, RuntimeException failure) {
        failAll(batch, failure);
        release(batch);
    }

    /** A repeat of these idempotency keys is now answered from the database, not from the ticket. */
    private void release(List<Pending> batch) {
        for (Pending pending : batch) {
            String scope = pending.submission().idempotencyScope();
            if (scope != null) {
                inFlight.remove(scope, pending.ticket());
            }
        }
    }

    private static void failAll(List<Pending> batch, RuntimeException failure) {
        for (Pending pending : batch) {
            pending.ticket().accepted().completeExceptionally(failure);
            pending.ticket().committed().completeExceptionally(failure);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            cutter.join(TimeUnit.SECONDS.toMillis(30));
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left, new LedgerUnavailableException("The ledger stopped before this transaction was ordered"));
    }
}
