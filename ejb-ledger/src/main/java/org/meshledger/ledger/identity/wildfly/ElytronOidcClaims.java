package org.meshledger.ledger.identity.wildfly;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.meshledger.ledger.identity.CallerClaims;
import org.wildfly.security.http.oidc.AccessToken;
import org.wildfly.security.http.oidc.OidcPrincipal;

/**
 * Reads a caller's token claims from WildFly's OIDC client (Elytron). This is the only class that
 * knows the server's OIDC types; another server (Payara) needs only another reader like this one.
 */
public final class ElytronOidcClaims {

    private ElytronOidcClaims() {
    }

    /**
     * @param principal the container's caller principal
     * @param roles the roles the container grants the caller
     * @return the caller's claims, or empty if the caller did not authenticate through OIDC
     */
    public static Optional<CallerClaims> read(Principal principal, Set<String> roles) {
        if (!(principal instanceof OidcPrincipal<?> oidcPrincipal) || oidcPrincipal.getOidcSecurityContext() == null) {
            return Optional.empty();
        }
        AccessToken token = oidcPrincipal.getOidcSecurityContext().getToken();
        if (token == null) {
            return Optional.empty();
        }
        List<String> groups = token.hasClaim("groups") ? token.getStringListClaimValue("groups") : List.of();
        return Optional.of(new CallerClaims(
                token.getSubject(),
                token.getClaimValueAsString("preferred_username"),
                token.getClaimValueAsString("azp"),
                groups,
                roles,
                token.hasClaim(CallerClaims.LINK_CLAIM) ? token.getClaimValueAsString(CallerClaims.LINK_CLAIM) : null,
                token.hasClaim("sid") ? token.getClaimValueAsString("sid") : null));
    }
}
