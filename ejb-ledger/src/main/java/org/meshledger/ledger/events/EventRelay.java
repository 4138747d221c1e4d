package org.meshledger.ledger.events;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.persistence.health.EventRelayStatus;
import org.meshledger.persistence.ledger.EventDeadLetterStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * Publishes the outbox: the events of each committed block, after its commit, oldest block first,
 * marking a block published only once the broker has all its events. A broker that is away, or a
 * node that stops, loses nothing: what is not marked is published again (consumers drop repeats by
 * event id), and the relay retries with a growing pause until the broker is back. It wakes as soon
 * as a block commits, so events leave within milliseconds of the commit.
 *
 * <p>One event the broker or the producer refuses for itself (too large, not serializable: see
 * {@link EventPublisher.Refusal}) does not hold up the stream: it goes to the dead-letter store with
 * the reason, the block's other events (to every party) are published, the block is marked
 * published and the relay goes on. Publishing a block again leaves out its dead-lettered events.
 * Runs on one thread of its own; {@link #stop()} from any thread.
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
    private final EventDeadLetterStore deadLetters;
    private final ChainState chain;
    private final Supplier<EventPublisher> connect;
    private final String target;
    private final Clock clock;
    private volatile boolean stopped;

    public EventRelay(NetworkDefinition network, BlockEvents blockEvents, OutboxStore outbox,
            EventDeadLetterStore deadLetters, ChainState chain, Supplier<EventPublisher> connect, String target,
            Clock clock) {
        this.network = network;
        this.blockEvents = blockEvents;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
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
        EventRelayStatus.started(EventRelayStatus.State.PUBLISHING, "connecting to " + target);
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

    /**
     * Publishes blocks {@code from..to}, but their events already dead-lettered, dead-letters the
     * events refused for themselves, and marks the blocks published; returns {@code to}.
     *
     * @throws Exception when events could not be published for a reason that may pass (those
     *         refused on the way are dead-lettered all the same); nothing is marked published
     */
    public long publishBlocks(EventPublisher publisher, long from, long to) throws Exception {
        Set<String> dead = deadLetters.eventsOfBlocks(from, to);
        List<PartyEvent> events = blockEvents.of(outbox.changesOfBlocks(from, to)).stream()
                .filter(e -> !dead.contains(EventDeadLetterStore.key(e.party().value(), e.event().getId()))).toList();
        List<EventPublisher.Refusal> refused;
        try {
            refused = publisher.publish(events);
        } catch (EventPublisher.NotPublishedException e) {
            deadLetter(e.refused());
            throw e;
        }
        deadLetter(refused);
        outbox.markPublished(from, to, clock.instant());
        return to;
    }

    private void deadLetter(List<EventPublisher.Refusal> refused) throws java.sql.SQLException {
        if (refused.isEmpty()) {
            return;
        }
        deadLetters.record(refused.stream().map(EventRelay::letter).toList(), clock.instant());
        for (EventPublisher.Refusal refusal : refused) {
            LOG.warning(() -> "Events: " + refusal.event().event().getId() + " for " + refusal.event().party().value()
                    + " was refused (" + refusal.reason() + "); it is in the dead-letter store (event_dead_letter) and "
                    + "the relay goes on without it");
        }
    }

    private static EventDeadLetterStore.Letter letter(EventPublisher.Refusal refusal) {
        PartyEvent event = refusal.event();
        int slash = event.key().indexOf('/');
        return new EventDeadLetterStore.Letter(event.party().value(), event.key().substring(0, slash),
                event.key().substring(slash + 1), (int) number(event, "recordversion"), event.event().getId(),
                number(event, "blockheight"), refusal.reason());
    }

    private static long number(PartyEvent event, String extension) {
        return Long.parseLong(String.valueOf(event.event().getExtension(extension)));
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
