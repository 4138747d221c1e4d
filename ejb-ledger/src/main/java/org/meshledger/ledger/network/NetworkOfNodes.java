package org.meshledger.ledger.network;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Writes the {@code nodes} of a network file: what an operator (or the demo's launcher) adds to a
 * network definition once each company has made its node's keys ({@code views.NodeKeys}).
 */
public final class NetworkOfNodes {

    /** One node's entry, with the public halves of its keys (base64 X.509 SubjectPublicKeyInfo). */
    public record Entry(String id, List<String> parties, String signingKey, String encryptionKey, String kafkaPrincipal,
            String address) {
    }

    private NetworkOfNodes() {
    }

    /** A copy of a network file with these nodes. */
    public static ObjectNode withNodes(ObjectNode networkFile, List<Entry> nodes) {
        ObjectNode copy = networkFile.deepCopy();
        ArrayNode list = copy.putArray("nodes");
        for (Entry node : nodes) {
            ObjectNode entry = list.addObject();
            entry.put("id", node.id());
            ArrayNode parties = entry.putArray("parties");
            node.parties().forEach(parties::add);
            entry.put("signingKey", node.signingKey());
            entry.put("encryptionKey", node.encryptionKey());
            entry.put("kafkaPrincipal", node.kafkaPrincipal());
            if (node.address() != null) {
                entry.put("address", node.address());
            }
        }
        return copy;
    }

    /** The demo network's topology: who hosts whom. */
    public static final List<List<String>> DEMO_TOPOLOGY = List.of(
            List.of("owner-node", "loan-owner"),
            List.of("servicer-node", "servicer", "home-owner"),
            List.of("securitizer-node", "securitizer"));

}
