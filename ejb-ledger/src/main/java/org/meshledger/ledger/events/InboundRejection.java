package org.meshledger.ledger.events;

/**
 * Why a message of an inbound topic was not committed: it goes to the party's dead-letter topic
 * with this code and reason, and nothing is written.
 *
 * @param code {@code not-a-cloudevent}, {@code wrong-type}, {@code invalid-json},
 *        {@code invalid-transaction}, {@code access-denied}, {@code not-found} (a record it may not
 *        read, or that does not exist), or {@code rejected} (the ledger
 *        recorded the transaction as rejected; the reason names its rejection code)
 */
public record InboundRejection(String code, String reason) {
}
