package org.meshledger.ledger.access;

import java.util.Set;
import java.util.stream.Collectors;

import org.meshledger.ledger.identity.PartyId;

/**
 * An {@code x-access} rule: which parties may read, write, change the access of, and delete records
 * of a type or a field. A {@code null} set means the rule does not say (a field then follows its
 * type; a type without {@code delete} lets only a record's owner delete it).
 */
public record AccessRule(Set<PartyId> read, Set<PartyId> write, Set<PartyId> admin, Set<PartyId> delete) {

    public static final AccessRule UNSPECIFIED = new AccessRule(null, null, null, null);

    public AccessRule {
        read = read == null ? null : Set.copyOf(read);
        write = write == null ? null : Set.copyOf(write);
        admin = admin == null ? null : Set.copyOf(admin);
        delete = delete == null ? null : Set.copyOf(delete);
    }

    static String describe(Set<PartyId> parties) {
        return parties.stream().map(PartyId::value).sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
