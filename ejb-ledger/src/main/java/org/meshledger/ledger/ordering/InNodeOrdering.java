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
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.persistence.ledger.BlockExistsException;
import org.meshledger.persistence.ledger.CommitOutcomeUnknownException;
import org.meshledger.persistence.ledger.LedgerStore;

/**
 * Ordering inside one node: submissions queue up in arrival order; one thread (the cutter) cuts the
 * queue into blocks ({@link BlockPolicy}) and applies each on top of the one before, so the order is
 * total and a block's height is fixed when it is cut; a second thread (the writer) writes the
 * applied blocks in that order. They overlap: block n+1 is applied while block n is written, which
 * keeps the database, the bound of this path, busy. A repeated idempotency key that is still on its
 * way (until its block is committed) shares the first submission's outcome.
 *
 * <p>When a block cannot be written:
 * <ul>
 * <li>the database refused a value of it ({@link LedgerStore#refusesValues}): the writer finds the
 * transactions it cannot store, writes the block again with them rejected
 * ({@code STORAGE_REFUSED}) and the others committed ({@link BlockApplier#writeIsolating}); the
 * blocks applied on top of it go back to the cutter, which applies them again, in the same order,
 * on the chain as now committed;
 * <li>its commit was not confirmed, or its height is taken: the writer reads the ledger
 * ({@link BlockApplier#resolve}); a block that is there is answered as committed; one that is not is
 * applied again (a few times at most), with those on top. If the ledger cannot be read, its
 * submitters get a 503 that says it may be committed, and the writer settles it against the ledger
 * before the next block;
 * <li>anything else (the database is down): its submitters and those of the blocks applied on top
 * of it get a 503 (nothing of them was written; they may retry with the same idempotency key) and
 * the cutter starts again from the committed chain.
 * </ul>
 * Error messages carry no SQL and no database message: those go to the log.
 */
public final class InNodeOrdering implements TransactionOrdering {

    private static final Logger LOG = Logger.getLogger(InNodeOrdering.class.getName());
    /** How often a filling block looks whether the writer has become idle. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** How many times one batch is applied again before its submitters get a 503. */
    private static final int MAX_ATTEMPTS = 5;
    private static final String CANNOT_TAKE = "The ledger cannot take transactions now";

    private record Pending(Submission submission, Ticket ticket) {
    }

    /**
     * An applied block on its way to the writer; {@code generation} names the chain it builds on,
     * {@code attempts} how often its batch was applied before.
     */
    private record Applied(List<Pending> batch, ProposedBlock proposed, PreparedBlock block, long generation,
            int attempts) {
    }

    private final BlockApplier applier;
    private final ChainState chain;
    private final BlockPolicy policy;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final SynchronousQueue<Applied> toWriter = new SynchronousQueue<>();
    private final ConcurrentHashMap<String, Ticket> inFlight = new ConcurrentHashMap<>();
    private final UncommittedStates uncommitted = new UncommittedStates();
    /**
     * Moves on when the chain the applied blocks build on no longer holds (a block could not be
     * written as applied): whatever was applied on top of it is dropped, or applied again.
     */
    private final AtomicLong generation = new AtomicLong();
    /**
     * Batches to apply again, in order, once the cutter has seen the generation move on; filled by
     * the writer before it counts their block as written ({@link #unwritten}).
     */
    private final BlockingQueue<Applied> redo = new LinkedBlockingQueue<>();
    private final Thread cutter;
    private final Thread writer;
    private volatile boolean closing;
    /** Blocks handed to the writer and not yet written; while there are any, the next block keeps filling. */
    private final AtomicInteger unwritten = new AtomicInteger();

    // The cutter's own: the generation and the tip its next block builds on.
    private long built;
    private ChainTip tip;

    // The writer's own: whether the blocks of the generation that ended are applied again (or
    // failed), and whether a commit is not settled yet (the ledger may have a block the chain lacks).
    private boolean redoStale;
    private boolean unsettled;

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
        tip = chain.tip();
        built = generation.get();
        while (true) {
            try {
                if (built != generation.get()) {
                    restart();
                }
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && unwritten.get() == 0 && built == generation.get()) {
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
                    // Those to apply again came first.
                    restart();
                }
                List<Pending> cut = List.copyOf(batch);
                batch.clear();
                handOff(cut, new ProposedBlock(clock.instant().truncatedTo(ChronoUnit.MICROS),
                        cut.stream().map(Pending::submission).toList()), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LedgerUnavailableException stopped = new LedgerUnavailableException("The ledger stopped");
                fail(batch, stopped);
                List<Applied> left = new ArrayList<>();
                redo.drainTo(left);
                left.forEach(applied -> fail(applied.batch(), stopped));
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * The chain the applied blocks built on no longer holds: once the writer is done with every
     * block handed to it, starts again from the committed chain and first applies again, in their
     * order, the batches the writer gave back. Again if the chain moves on meanwhile.
     */
    private void restart() throws InterruptedException {
        List<Applied> carried = new ArrayList<>();
        do {
            while (unwritten.get() > 0) {
                TimeUnit.NANOSECONDS.sleep(IDLE_CHECK_NANOS);
            }
            built = generation.get();
            uncommitted.clear();
            tip = chain.tip();
            List<Applied> again = new ArrayList<>();
            redo.drainTo(again);
            again.addAll(carried);
            carried.clear();
            if (!again.isEmpty()) {
                LOG.info("Applying " + again.size() + " block(s) again on block " + tip.height());
            }
            for (int i = 0; i < again.size(); i++) {
                if (built != generation.get()) {
                    carried.addAll(again.subList(i, again.size()));
                    break;
                }
                Applied applied = again.get(i);
                handOff(applied.batch(), applied.proposed(), applied.attempts());
            }
        } while (built != generation.get());
    }

    /** Applies a batch as the next block on {@link #tip} and hands it to the writer. */
    private void handOff(List<Pending> batch, ProposedBlock proposed, int attempts) throws InterruptedException {
        PreparedBlock block = prepare(batch, proposed);
        if (block == null) {
            return;
        }
        if (block.writesNothing()) {
            complete(batch, block);
            return;
        }
        tip = block.tip();
        unwritten.incrementAndGet();
        try {
            toWriter.put(new Applied(batch, proposed, block, built, attempts));
        } catch (InterruptedException e) {
            unwritten.decrementAndGet();
            fail(batch, new LedgerUnavailableException("The ledger stopped"));
            throw e;
        }
    }

    /** The batch applied as the next block, or null (its tickets failed) if it could not be. */
    private PreparedBlock prepare(List<Pending> batch, ProposedBlock block) {
        Map<Submission, Ticket> tickets = new IdentityHashMap<>();
        batch.forEach(pending -> tickets.put(pending.submission(), pending.ticket()));
        try {
            return applier.prepare(block, tip, uncommitted,
                    accepted -> tickets.get(accepted.submission()).accepted().complete(accepted.outcome()));
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "A block of " + batch.size() + " transactions could not be applied", e);
            fail(batch, new LedgerUnavailableException(CANNOT_TAKE + ": this transaction's block could not be "
                    + "applied; nothing of it was written; retry with the same idempotency key", e));
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
            try {
                if (unsettled) {
                    settle();
                }
                if (applied.generation() != generation.get()) {
                    stale(applied);
                } else {
                    write(applied);
                }
            } finally {
                // Last: the cutter waits for this before it takes back what was given back.
                unwritten.decrementAndGet();
            }
        }
    }

    private void write(Applied applied) {
        PreparedBlock block = applied.block();
        try {
            applier.write(block, chain);
            uncommitted.committed(block.height());
            complete(applied.batch(), block);
        } catch (SQLException e) {
            if (LedgerStore.refusesValues(e)) {
                isolate(applied, e);
            } else if (e instanceof CommitOutcomeUnknownException || e instanceof BlockExistsException) {
                resolve(applied, e);
            } else {
                failed(applied, e);
            }
        } catch (RuntimeException e) {
            failed(applied, e);
        }
    }

    /** The database refused a value of the block: written again without the transactions it refuses. */
    private void isolate(Applied applied, SQLException refusal) {
        // The failure's own message repeats the statement with its values: not for the log.
        LOG.warning("The database refused a value of block " + applied.block().height() + " ("
                + LedgerStore.describe(refusal) + "); writing it again with the transactions it cannot store rejected");
        PreparedBlock written;
        try {
            written = applier.writeIsolating(applied.proposed(), applied.block(), chain, refusal);
        } catch (CommitOutcomeUnknownException e) {
            unknown(applied, e);
            return;
        } catch (SQLException | RuntimeException e) {
            failed(applied, e);
            return;
        }
        // What was applied on top of the block as first applied no longer holds.
        applyAgainAbove();
        long refused = written.results().stream().filter(r -> r.outcome().rejection() != null
                && r.outcome().rejection().code() == RejectionCode.STORAGE_REFUSED
                && !r.outcome().repeated()).count();
        LOG.warning("Block " + written.height() + " written with " + refused
                + " transaction(s) rejected because the database cannot store their values");
        complete(applied.batch(), written);
    }

    /** The block's commit was not confirmed, or its height is taken: the ledger says what became of it. */
    private void resolve(Applied applied, SQLException failure) {
        PreparedBlock block = applied.block();
        LOG.warning("Block " + block.height() + ": " + LedgerStore.describe(failure) + " (" + failure.getMessage()
                + "); reading the ledger to settle it");
        boolean committed;
        try {
            committed = applier.resolve(block, chain);
        } catch (SQLException | RuntimeException e) {
            unknown(applied, e);
            return;
        }
        if (committed) {
            LOG.info("Block " + block.height() + " was committed");
            uncommitted.committed(block.height());
            complete(applied.batch(), block);
        } else {
            LOG.info("Block " + block.height() + " was not committed; it is applied again on the chain as committed");
            applyAgainAbove();
            stale(applied);
        }
    }

    /**
     * A block's commit cannot be settled now: its submitters learn that it may be committed, those
     * of the blocks on top of it get a 503, and the writer settles it before the next block.
     */
    private void unknown(Applied applied, Exception e) {
        LOG.log(Level.SEVERE, "Block " + applied.block().height() + " cannot be settled now; it will be before the "
                + "next block", e);
        unsettled = true;
        failAbove();
        fail(applied.batch(), new LedgerUnavailableException(CANNOT_TAKE + ": this transaction's block may or "
                + "may not be committed; repeat it with the same idempotency key to learn its outcome", e));
    }

    /** Settles a commit that could not be confirmed before the next block is written: the chain catches up. */
    private void settle() {
        try {
            boolean committed = applier.catchUp(chain);
            unsettled = false;
            LOG.info(committed ? "The unconfirmed commit did commit: the chain is now at block " + chain.height()
                    : "The unconfirmed commit did not commit");
            if (committed) {
                // What was applied since built on the chain without that block.
                applyAgainAbove();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "An unconfirmed commit cannot be settled yet", e);
        }
    }

    /** The block cannot be written now, nor those applied on top of it. */
    private void failed(Applied applied, Exception e) {
        failAbove();
        String what = "Block " + applied.block().height() + " of " + applied.batch().size()
                + " transactions could not be written";
        if (e instanceof SQLException sql) {
            // A batch's own message repeats its statement with every value: the stack trace only in detail.
            LOG.severe(what + " (" + LedgerStore.describe(sql) + ")");
            LOG.log(Level.FINE, what, e);
        } else {
            LOG.log(Level.SEVERE, what, e);
        }
        fail(applied.batch(), new LedgerUnavailableException(CANNOT_TAKE + ": this transaction's block could not be "
                + "written; nothing of it was written; retry with the same idempotency key", e));
    }

    /** A block applied on a chain that no longer holds: applied again, or failed, as its generation ended. */
    private void stale(Applied applied) {
        if (redoStale && applied.attempts() + 1 < MAX_ATTEMPTS) {
            redo.add(new Applied(applied.batch(), applied.proposed(), null, applied.generation(),
                    applied.attempts() + 1));
        } else {
            fail(applied.batch(), new LedgerUnavailableException(CANNOT_TAKE + ": an earlier block could not be "
                    + "written, so this transaction's block was not; nothing of it was written; retry with the same "
                    + "idempotency key"));
        }
    }

    /** The blocks applied on top of the chain as it was go back to the cutter, to be applied again. */
    private void applyAgainAbove() {
        redoStale = true;
        generation.incrementAndGet();
    }

    /** The blocks applied on top of the chain as it was fail. */
    private void failAbove() {
        redoStale = false;
        generation.incrementAndGet();
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
        List<Applied> again = new ArrayList<>();
        redo.drainTo(again);
        again.forEach(applied -> left.addAll(applied.batch()));
        failAll(left, new LedgerUnavailableException("The ledger stopped before this transaction was ordered"));
    }
}
