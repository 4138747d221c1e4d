package org.meshledger.ledger.network;

import java.security.PublicKey;

import org.meshledger.ledger.identity.PartyId;

/**
 * A party of the network as its definition names it.
 *
 * @param signingKey the party's Ed25519 public key, with which other nodes check its digests
 */
public record PartyDefinition(PartyId id, String displayName, String description, PublicKey signingKey) {
}
