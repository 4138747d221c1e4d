package org.meshledger.web.api;

import java.util.Base64;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.service.NetworkRegistry;

/** {@code GET /api/network}: the network's parties and shared schema, which every party knows. */
@Path("network")
@Produces(MediaType.APPLICATION_JSON)
public class NetworkResource {

    /** A party as the network definition names it. */
    public record PartyView(String id, String displayName, String description, String signingKey) {
    }

    /** The network's public definition. */
    public record NetworkView(String network, String displayName, String description, List<PartyView> parties,
            String schemaVersion, JsonNode schema) {
    }

    @EJB
    private NetworkRegistry networks;

    @EJB
    private CurrentPrincipal currentPrincipal;

    @GET
    @RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public NetworkView network() {
        currentPrincipal.get(); // the same checks as every resource: a known party, a session not ended
        NetworkDefinition network = networks.network();
        return new NetworkView(network.id(), network.displayName(), network.description(), network.parties().stream()
                .map(p -> new PartyView(p.id().value(), p.displayName(), p.description(),
                        Base64.getEncoder().encodeToString(p.signingKey().getEncoded())))
                .toList(), network.schema().version(), network.schema().document());
    }
}
