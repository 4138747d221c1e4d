package org.meshledger.ledger.identity;

import java.util.List;
import java.util.Set;

/**
 * What the identity provider asserted about a caller, read from its token: the raw material of a
 * {@link MeshPrincipal}.
 *
 * @param subject the token's {@code sub}
 * @param username the token's {@code preferred_username}
 * @param authorizedParty the token's {@code azp}: the client the token was issued to
 * @param groups the token's {@code groups} (full group paths)
 * @param roles the roles the container granted the caller
 * @param link the token's {@code meshledger_link}: the record the user is linked to ("Borrower/B-1"), or null
 * @param sessionId the token's {@code sid}: the identity provider's sign-in session, or null
 */
public record CallerClaims(String subject, String username, String authorizedParty, List<String> groups,
        Set<String> roles, String link, String sessionId) {

    /** The claim that links a user to a record, from the Keycloak user attribute of the same name. */
    public static final String LINK_CLAIM = "meshledger_link";

    public CallerClaims(String subject, String username, String authorizedParty, List<String> groups,
            Set<String> roles) {
        this(subject, username, authorizedParty, groups, roles, null, null);
    }

    public CallerClaims {
        groups = groups == null ? List.of() : List.copyOf(groups);
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }
}
