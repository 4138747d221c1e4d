package org.meshledger.web.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.node.NodeIdentityService;
import org.meshledger.ledger.node.NodeInfo;

/** {@code GET /api/node}: this node's identity and starts, for a party's administrators. */
@Path("node")
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {

    @EJB
    private CurrentPrincipal currentPrincipal;

    @EJB
    private NodeIdentityService nodes;

    @GET
    // Checked here as well as on the EJB, so that a refusal is a plain 403 rather than a failed invocation.
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public NodeInfo node() {
        // A caller that is no principal of a party is refused before its roles are even looked at.
        currentPrincipal.get();
        return nodes.describe();
    }
}
