package org.meshledger.ledger.events;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.persistence.health.EventRelayStatus;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * Publishes the outbox: the events of each committed block, after its commit, oldest block first,
 * marking a block published only once the broker has all its events. A broker that is away, or a
 * node that stops, loses nothing: what is not marked is published again (consumers drop repeats by
 * event id), and the relay retries with a growing pause until the broker is back. It wakes as soon
 * as a block commits, so events leave within milliseconds of the commit.
 */
public final class EventRelay implements Runnable {

    private static final Logger LOG = Logger.getLogger(EventRelay.class.getName());

    /** Blocks published together when catching up (one flush for all), and at most this many transactions. */
    static final int BATCH_BLOCKS = 50;
    static final int BATCH_TRANSACTIONS = 5_000;
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(15);

    private final NetworkDefinition network;
    private final BlockEvents blockEvents;
    private final OutboxStore outbox;
    private final ChainState chain;
    private final Supplier<EventPublisher> connect;
    private final String target;
    private final Clock clock;
    private volatile boolean stopped;

    public EventRelay(NetworkDefinition network, BlockEvents blockEvents, OutboxStore outbox, ChainState chain,
            Supplier<EventPublisher> connect, String target, Clock clock) {
        this.network = network;
        this.blockEvents = blockEvents;
        this.outbox = outbox;
        this.chain = chain;
        this.connect = connect;
        this.target = target;
        this.clock = clock;
    }

    @Override
    public void run() {
        EventPublisher publisher = null;
        Backoff retry = new Backoff(FIRST_RETRY, LAST_RETRY);
        long published = 0;
        EventRelayStatus.report(EventRelayStatus.State.PUBLISHING, "connecting to " + target, published);
        while (!stopped) {
            try {
                if (publisher == null) {
                    publisher = connect.get();
                    publisher.prepare(network.parties().stream().map(PartyDefinition::id).toList());
                    EventRelayStatus.report(EventRelayStatus.State.PUBLISHING, "publishing to " + target, published);
                }
                long height = chain.height();
                List<Long> blocks = outbox.unpublished(BATCH_BLOCKS, BATCH_TRANSACTIONS);
                if (blocks.isEmpty()) {
                    chain.awaitAbove(height, IDLE_WAIT);
                    continue;
                }
                published = publishBlocks(publisher, blocks.get(0), blocks.get(blocks.size() - 1));
                if (!retry.calm()) {
                    LOG.info(() -> "Events: publishing to " + target + " again");
                }
                retry.succeeded();
                EventRelayStatus.report(EventRelayStatus.State.PUBLISHING, "publishing to " + target, published);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (stopped) {
                    break;
                }
                String reason = describe(e);
                EventRelayStatus.report(EventRelayStatus.State.RETRYING, "cannot publish to " + target + ": " + reason
                        + "; retrying in " + retry.next().toMillis() + " ms", published);
                LOG.log(retry.calm() ? Level.WARNING : Level.FINE,
                        "Events: cannot publish to " + target + " (" + reason + "); the outbox keeps them, retrying", e);
                closeQuietly(publisher);
                publisher = null;
                if (!retry.pause(() -> stopped)) {
                    break;
                }
            }
        }
        closeQuietly(publisher);
    }

    /** Publishes blocks {@code from..to} and marks them published; returns {@code to}. */
    public long publishBlocks(EventPublisher publisher, long from, long to) throws Exception {
        publisher.publish(blockEvents.of(outbox.changesOfBlocks(from, to)));
        outbox.markPublished(from, to, clock.instant());
        return to;
    }

    public void stop() {
        stopped = true;
    }

    private static void closeQuietly(EventPublisher publisher) {
        if (publisher == null) {
            return;
        }
        // When the server stops, this thread is interrupted; the producer's close would give up at once.
        boolean interrupted = Thread.interrupted();
        try {
            publisher.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Events: closing the publisher failed", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
