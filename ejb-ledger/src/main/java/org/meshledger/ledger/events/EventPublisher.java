package org.meshledger.ledger.events;

import java.util.Collection;
import java.util.List;

import org.meshledger.ledger.identity.PartyId;

/** Where the relay puts events (Kafka in a node; a list in a test of the relay's logic). */
public interface EventPublisher extends AutoCloseable {

    /** Makes sure the parties' topics exist (where the node creates them). */
    void prepare(Collection<PartyId> parties) throws Exception;

    /**
     * Publishes the events, each record's in the given order, and returns once the broker has them
     * all.
     *
     * @throws Exception when any of them could not be published (then none is taken as published)
     */
    void publish(List<PartyEvent> events) throws Exception;

    @Override
    void close();
}
