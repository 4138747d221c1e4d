package org.meshledger.ledger.identity;

import java.util.HashSet;
import java.util.Set;

import jakarta.annotation.Resource;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.ledger.identity.wildfly.ElytronOidcClaims;

/**
 * The caller of the current request as a {@link MeshPrincipal}. Every service asks this bean, so
 * that one rule decides who a caller is, whichever way it came in.
 */
@Stateless
@PermitAll
// Reading the caller needs no container transaction; starting one per request costs real time.
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
@DeclareRoles({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class CurrentPrincipal {

    private final PrincipalMapper mapper = new PrincipalMapper();

    @Resource
    private SessionContext context;

    @EJB
    private EndedSessions endedSessions;

    @EJB
    private HostedParties hostedParties;

    /**
     * @throws UnmappedCallerException when the caller is not signed in, or belongs to no party (or
     *         to several)
     * @throws SessionEndedException when the caller's sign-in session has ended
     * @throws HostedElsewhereException when another node of the network hosts the caller's party
     */
    public MeshPrincipal get() {
        Set<String> roles = new HashSet<>();
        for (Role role : Role.values()) {
            if (context.isCallerInRole(role.roleName())) {
                roles.add(role.roleName());
            }
        }
        CallerClaims claims = ElytronOidcClaims.read(context.getCallerPrincipal(), roles)
                .orElseThrow(() -> new UnmappedCallerException(
                        "The caller did not sign in through the network's identity provider"));
        if (endedSessions.hasEnded(claims.sessionId())) {
            throw new SessionEndedException("The sign-in session of this token has ended; sign in again");
        }
        return hostedParties.get().check(mapper.map(claims));
    }
}
