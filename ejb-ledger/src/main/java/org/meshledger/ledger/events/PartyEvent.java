package org.meshledger.ledger.events;

import io.cloudevents.CloudEvent;

import org.meshledger.ledger.identity.PartyId;

/**
 * One event for one party's topic: a record version as that party may see it.
 *
 * @param key the record ("Loan/L-1"): the Kafka message key, so that a record's events stay in order
 */
public record PartyEvent(PartyId party, String key, CloudEvent event) {
}
