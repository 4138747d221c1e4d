package org.meshledger.ledger.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.meshledger.ledger.identity.PartyHosting;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.schema.SharedSchema;

/**
 * A network: its parties, the schema and access rules they share and, for a network of nodes, its
 * nodes and which party each hosts. Loaded from a definition file ({@link NetworkLoader}), so that a
 * network is configuration, not code. A definition without nodes is a network of one node that
 * hosts every party.
 */
public final class NetworkDefinition {

    private final String id;
    private final String displayName;
    private final String description;
    private final Map<PartyId, PartyDefinition> parties;
    private final SharedSchema schema;
    private final List<NodeDefinition> nodes;

    public NetworkDefinition(String id, String displayName, String description, List<PartyDefinition> parties,
            SharedSchema schema) {
        this(id, displayName, description, parties, schema, List.of());
    }

    public NetworkDefinition(String id, String displayName, String description, List<PartyDefinition> parties,
            SharedSchema schema, List<NodeDefinition> nodes) {
        this.id = id;
        this.displayName = displayName;
        this.description = description;
        Map<PartyId, PartyDefinition> byId = new LinkedHashMap<>();
        parties.forEach(party -> byId.put(party.id(), party));
        this.parties = Map.copyOf(byId);
        this.schema = schema;
        this.nodes = List.copyOf(nodes);
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public String description() {
        return description;
    }

    public List<PartyDefinition> parties() {
        return parties.values().stream().sorted((a, b) -> a.id().value().compareTo(b.id().value())).toList();
    }

    public SharedSchema schema() {
        return schema;
    }

    /** Its nodes, in the order of the file; empty for a network of one node that hosts every party. */
    public List<NodeDefinition> nodes() {
        return nodes;
    }

    /** Whether its parties run nodes of their own (the file names nodes). */
    public boolean hasNodes() {
        return !nodes.isEmpty();
    }

    public Optional<NodeDefinition> node(String nodeId) {
        return nodes.stream().filter(node -> node.id().equals(nodeId)).findFirst();
    }

    /** The node that hosts a party, or empty in a network of one node (or for no party of it). */
    public Optional<NodeDefinition> hostOf(PartyId party) {
        return nodes.stream().filter(node -> node.hosts(party)).findFirst();
    }

    /**
     * Which parties the node {@code nodeId} hosts. A network without nodes takes no node id (one node
     * hosts every party); a network of nodes needs the id of one of them.
     *
     * @throws NetworkDefinitionException naming what is missing or wrong
     */
    public PartyHosting hosting(String nodeId) {
        if (!hasNodes()) {
            if (nodeId != null) {
                throw new NetworkDefinitionException("this node is configured as node '" + nodeId + "' but network '"
                        + id + "' defines no nodes: remove MESHLEDGER_NODE_ID, or use the network file that defines "
                        + "its nodes");
            }
            return PartyHosting.everyParty();
        }
        if (nodeId == null) {
            throw new NetworkDefinitionException("network '" + id + "' is a network of nodes ("
                    + nodes.stream().map(NodeDefinition::id).toList() + "): set MESHLEDGER_NODE_ID to this node's id");
        }
        if (node(nodeId).isEmpty()) {
            throw new NetworkDefinitionException("this node is configured as node '" + nodeId + "', which network '"
                    + id + "' does not define (its nodes: " + nodes.stream().map(NodeDefinition::id).toList() + ")");
        }
        Map<PartyId, PartyHosting.Host> hosts = new LinkedHashMap<>();
        for (NodeDefinition node : nodes) {
            node.parties().forEach(party -> hosts.put(party, new PartyHosting.Host(node.id(), node.address())));
        }
        return PartyHosting.of(nodeId, hosts);
    }
}
