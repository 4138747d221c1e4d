package org.meshledger.ledger.access;

import java.util.Set;
import java.util.stream.Collectors;

import org.meshledger.ledger.identity.PartyId;

/**
 * An {@code x-access} rule: which parties may read, write, and change the access of a type or a
 * field. A {@code null} set means the rule does not say (a field then follows its type).
 */
public record AccessRule(Set<PartyId> read, Set<PartyId> write, Set<PartyId> admin) {

    public static final AccessRule UNSPECIFIED = new AccessRule(null, null, null);

    public AccessRule {
        read = read == null ? null : Set.copyOf(read);
        write = write == null ? null : Set.copyOf(write);
        admin = admin == null ? null : Set.copyOf(admin);
    }

    static String describe(Set<PartyId> parties) {
        return parties.stream().map(PartyId::value).sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
