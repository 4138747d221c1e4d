package org.meshledger.ledger.identity;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what the identity provider says about a caller into a {@link MeshPrincipal}.
 *
 * <p>Party membership is a group under {@value #PARTY_GROUP_PREFIX} in the identity provider (e.g.
 * {@code /parties/servicer}), so it is managed where users are managed and shows in the token's
 * {@code groups} claim. A caller must belong to exactly one party. Systems are the service accounts
 * of the parties' client-credentials clients, which Keycloak names {@value #SERVICE_ACCOUNT_PREFIX}
 * followed by the client id. A system client's id starts with its party's id and a hyphen
 * ({@code servicer-system}, {@code servicer-salesforce}): a service account put into another party's
 * group, by mistake or by an attacker with access to one client, is refused rather than let act for
 * that party.
 */
public final class PrincipalMapper {

    public static final String PARTY_GROUP_PREFIX = "/parties/";
    public static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

    public MeshPrincipal map(CallerClaims claims) {
        if (claims.subject() == null || claims.subject().isBlank()) {
            throw new UnmappedCallerException("The token has no subject");
        }
        PartyId party = partyOf(claims);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String roleName : claims.roles()) {
            Role.fromRoleName(roleName).ifPresent(roles::add);
        }
        String username = claims.username() == null ? claims.subject() : claims.username();
        if (username.startsWith(SERVICE_ACCOUNT_PREFIX) && claims.authorizedParty() != null) {
            String client = claims.authorizedParty();
            if (!client.startsWith(party.value() + "-")) {
                throw new UnmappedCallerException("The client '" + client + "' is in the group of party " + party
                        + " but is not one of its clients (a party's system clients are named " + party.value()
                        + "-...)");
            }
            return new MeshPrincipal(party, PrincipalKind.SYSTEM, client, claims.subject(), roles);
        }
        return new MeshPrincipal(party, PrincipalKind.USER, username, claims.subject(), roles, claims.link());
    }

    private static PartyId partyOf(CallerClaims claims) {
        List<String> parties = claims.groups().stream()
                .filter(group -> group.startsWith(PARTY_GROUP_PREFIX))
                .map(group -> group.substring(PARTY_GROUP_PREFIX.length()))
                .filter(name -> !name.contains("/"))
                .distinct()
                .toList();
        String who = claims.username() == null ? claims.subject() : claims.username();
        if (parties.isEmpty()) {
            throw new UnmappedCallerException("'" + who + "' belongs to no party of this network: "
                    + "add it to one of the groups under " + PARTY_GROUP_PREFIX + " in the identity provider");
        }
        if (parties.size() > 1) {
            throw new UnmappedCallerException("'" + who + "' belongs to several parties " + parties
                    + ": a principal acts for exactly one party");
        }
        String party = parties.get(0);
        if (!PartyId.isValid(party)) {
            throw new UnmappedCallerException("'" + who + "' belongs to the group " + PARTY_GROUP_PREFIX + party
                    + ", which is not a valid party id");
        }
        return new PartyId(party);
    }
}
