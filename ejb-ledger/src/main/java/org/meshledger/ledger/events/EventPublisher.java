package org.meshledger.ledger.events;

import java.util.Collection;
import java.util.List;

import org.meshledger.ledger.identity.PartyId;

/** Where the relay puts events (Kafka in a node; a list in a test of the relay's logic). */
public interface EventPublisher extends AutoCloseable {

    /**
     * An event the broker or the producer refused for itself, so that publishing it again would fail
     * the same way (too large, not serializable, an invalid record), as opposed to a broker that is
     * away or a topic it may not write, which the relay retries.
     *
     * @param reason the refusal, naming its kind (e.g. "RecordTooLargeException: The message is …");
     *        never the event's data
     */
    record Refusal(PartyEvent event, String reason) {
    }

    /**
     * Some events could not be published for a reason that may pass (the broker away): the relay
     * publishes the batch again later. {@link #refused()} are the events refused for themselves on
     * the way, which the relay dead-letters all the same.
     */
    final class NotPublishedException extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient List<Refusal> refused;

        public NotPublishedException(Exception cause, List<Refusal> refused) {
            super(cause.getMessage(), cause);
            this.refused = List.copyOf(refused);
        }

        public List<Refusal> refused() {
            return refused;
        }
    }

    /** Makes sure the parties' topics exist (where the node creates them). */
    void prepare(Collection<PartyId> parties) throws Exception;

    /**
     * Publishes the events, each record's in the given order, and returns once the broker has them
     * all but those refused for themselves. Called from the relay's thread only.
     *
     * @return the events refused for themselves, with why: the others are published
     * @throws NotPublishedException or any other exception when an event could not be published
     *         for a reason that may pass (then none is taken as published, and the batch is
     *         published again)
     */
    List<Refusal> publish(List<PartyEvent> events) throws Exception;

    @Override
    void close();
}
