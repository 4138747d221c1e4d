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
 */
public record CallerClaims(String subject, String username, String authorizedParty, List<String> groups,
        Set<String> roles) {

    public CallerClaims {
        groups = groups == null ? List.of() : List.copyOf(groups);
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }
}
