package org.meshledger.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;

/** {@code GET /api/me}: who MeshLedger takes the caller for. */
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    @EJB
    private CurrentPrincipal currentPrincipal;

    @GET
    @RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public PrincipalView me() {
        return PrincipalView.of(currentPrincipal.get());
    }
}
