package org.meshledger.ledger.transaction;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;

/**
 * A transaction as every node of a network sees it on the order topic: who submitted it, its
 * client's references and its operations' public parts ({@link PublicOperation}). Applying it needs
 * nothing else, so every node computes the same block hashes; what it writes is readable only where
 * the sealed views of its values go.
 *
 * @param roles the principal's roles, for the rules that ask for one (purge and access changes)
 */
public record PublicTransaction(UUID txId, PartyId party, PrincipalKind principalKind, String principalName,
        Set<Role> roles, String idempotencyKey, SourceReference source, Instant validFrom,
        List<PublicOperation> operations) {

    public PublicTransaction {
        roles = Set.copyOf(roles);
        operations = List.copyOf(operations);
    }

    /** The key under which a repeat is recognised, or null. */
    public String idempotencyScope() {
        return idempotencyKey == null ? null : Submission.scope(party.value(), idempotencyKey);
    }
}
