package org.meshledger.ledger.service;

import java.time.Instant;
import java.util.List;

import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.proof.SignedDigest;

/**
 * What every principal of the network may know about the ledger itself: its parties, its height and
 * last block time, and the latest signed digest (null while the ledger is empty).
 */
public record NetworkOverview(String network, String displayName, List<PartyDefinition> parties, long height,
        Instant lastBlockTime, SignedDigest digest) {
}
