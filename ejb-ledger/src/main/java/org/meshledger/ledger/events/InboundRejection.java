package org.meshledger.ledger.events;

/**
 * Why a message of an inbound topic was not committed: it goes to the party's dead-letter topic
 * with this code and reason, and nothing is written.
 *
 * @param code {@code not-a-cloudevent}, {@code wrong-type}, {@code invalid-json},
 *        {@code invalid-transaction}, {@code access-denied}, {@code not-found} (a record it may not
 *        read, or that does not exist), {@code rejected} (the ledger
 *        recorded the transaction as rejected; the reason names its rejection code), or
 *        {@code failed} (it failed for itself {@value InboundAttempts#MAX_ATTEMPTS} times, e.g. a value
 *        the database refuses; the reason names the failure)
 */
public record InboundRejection(String code, String reason) {
}
