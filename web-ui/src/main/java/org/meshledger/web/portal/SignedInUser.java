package org.meshledger.web.portal;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.web.api.PrincipalView;

/**
 * Who is signed in to the portal. {@link PartyMembershipFilter} has already turned away callers that
 * are no principal of a party, so every portal page can rely on this.
 */
@Named
@RequestScoped
public class SignedInUser {

    @EJB
    private CurrentPrincipal currentPrincipal;

    private PrincipalView principal;

    @PostConstruct
    void resolve() {
        principal = PrincipalView.of(currentPrincipal.get());
    }

    // Faces 4 EL cannot read record components, hence the getters.

    public String getName() {
        return principal.name();
    }

    public String getParty() {
        return principal.party();
    }

    public String getKind() {
        return principal.kind();
    }

    /** Whether the user is a principal of this party. */
    public boolean is(String party) {
        return principal.party().equals(party);
    }

    public boolean isEditor() {
        return principal.roles().contains("editor");
    }

    public boolean isPartyAdmin() {
        return principal.roles().contains("party-admin");
    }

    public String getRoles() {
        return String.join(", ", principal.roles());
    }
}
