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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.meshledger.ledger.block.AppliedTransaction;
import org.meshledger.ledger.block.BlockApplier;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.block.ProposedBlock;
import org.meshledger.ledger.transaction.Submission;

/**
 * Ordering inside one node: submissions queue up in arrival order; one thread cuts the queue into
 * blocks ({@link BlockPolicy}) and applies each block before cutting the next, so the order is total
 * and a block's height is fixed when it is cut. A repeated idempotency key that is still on its way
 * shares the first submission's outcome.
 */
public final class InNodeOrdering implements TransactionOrdering {

    private static final Logger LOG = Logger.getLogger(InNodeOrdering.class.getName());

    private record Pending(Submission submission, Ticket ticket) {
    }

    private final BlockApplier applier;
    private final ChainState chain;
    private final BlockPolicy policy;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final ConcurrentHashMap<String, Ticket> inFlight = new ConcurrentHashMap<>();
    private final Thread cutter;
    private volatile boolean closing;

    public InNodeOrdering(BlockApplier applier, ChainState chain, BlockPolicy policy, ThreadFactory threads,
            Clock clock) {
        this.applier = applier;
        this.chain = chain;
        this.policy = policy;
        this.clock = clock;
        this.queue = new LinkedBlockingQueue<>(policy.queueCapacity());
        this.cutter = threads.newThread(this::run);
        cutter.setName("meshledger-block-cutter");
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

    private void run() {
        List<Pending> batch = new ArrayList<>(policy.maxTransactions());
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
                    if (batch.size() >= policy.maxTransactions() || left <= 0) {
                        break;
                    }
                    Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                applyBlock(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(batch, new LedgerUnavailableException("The ledger stopped"));
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void applyBlock(List<Pending> batch) {
        List<Submission> submissions = batch.stream().map(Pending::submission).toList();
        Map<Submission, Ticket> tickets = new IdentityHashMap<>();
        batch.forEach(pending -> tickets.put(pending.submission(), pending.ticket()));
        ProposedBlock block = new ProposedBlock(clock.instant().truncatedTo(ChronoUnit.MICROS), submissions);
        try {
            List<AppliedTransaction> results = applier.apply(block, chain,
                    accepted -> tickets.get(accepted.submission()).accepted().complete(accepted.outcome()));
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                pending.ticket().accepted().complete(results.get(i).outcome());
                pending.ticket().committed().complete(results.get(i).outcome());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "A block of " + batch.size() + " transactions could not be written", e);
            failAll(batch, new LedgerUnavailableException("The ledger could not write this transaction's block ("
                    + e.getMessage() + "); nothing of it was written; retry with the same idempotency key", e));
        } finally {
            for (Pending pending : batch) {
                String scope = pending.submission().idempotencyScope();
                if (scope != null) {
                    inFlight.remove(scope, pending.ticket());
                }
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left, new LedgerUnavailableException("The ledger stopped before this transaction was ordered"));
    }
}
