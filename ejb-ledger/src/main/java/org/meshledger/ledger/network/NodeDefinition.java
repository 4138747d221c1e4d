package org.meshledger.ledger.network;

import java.security.PublicKey;
import java.util.List;

import org.meshledger.ledger.identity.PartyId;

/**
 * A node of a network of nodes as the network file names it: the company's own server, the parties
 * it hosts (each party is hosted by exactly one node) and the public halves of its keys.
 *
 * @param signingKey its Ed25519 public key: every message it publishes on the order and checkpoint
 *        topics is signed with the private half
 * @param encryptionKey its X25519 public key: the views of what its parties may read are sealed to it
 * @param kafkaPrincipal the principal it authenticates as on the network's Kafka cluster
 *        ({@code User:<name>}), to which the topics' ACLs are granted
 * @param address where its API and portal are served (for callers sent to it from another node), or
 *        null if the file does not say
 */
public record NodeDefinition(String id, String displayName, List<PartyId> parties, PublicKey signingKey,
        PublicKey encryptionKey, String kafkaPrincipal, String address) {

    public NodeDefinition {
        parties = List.copyOf(parties);
    }

    public boolean hosts(PartyId party) {
        return parties.contains(party);
    }
}
