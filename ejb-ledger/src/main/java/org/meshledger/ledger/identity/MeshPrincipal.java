package org.meshledger.ledger.identity;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller as MeshLedger sees it: which party it acts for, whether it is a user or a
 * system, its name within that party, and its roles. Every service decides with this, whatever the
 * way in (portal, REST API, connector).
 *
 * @param party the party the caller acts for
 * @param kind user or system
 * @param name the user name, or the client id of a system
 * @param subject the identity provider's stable subject identifier
 * @param roles the caller's MeshLedger roles within its party
 * @param link the record the user is linked to ("Borrower/B-1" for a home owner), or null; rows rules
 *        ({@code x-access.rows}) limit what it reads to records connected to it
 */
public record MeshPrincipal(PartyId party, PrincipalKind kind, String name, String subject, Set<Role> roles,
        String link) {

    public MeshPrincipal(PartyId party, PrincipalKind kind, String name, String subject, Set<Role> roles) {
        this(party, kind, name, subject, roles, null);
    }

    public MeshPrincipal {
        Objects.requireNonNull(party, "party");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}
