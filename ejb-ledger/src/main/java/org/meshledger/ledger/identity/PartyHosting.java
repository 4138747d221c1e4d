package org.meshledger.ledger.identity;

import java.util.Map;

/**
 * Which parties this node hosts: in a network of nodes each node serves the callers of its own
 * parties only, and sends the others to the node that hosts theirs. A network of one node hosts
 * every party ({@link #everyParty()}).
 */
public final class PartyHosting {

    /** Another node of the network, as a caller sent there is told: its id, and its address if known. */
    public record Host(String node, String address) {
    }

    private final String node;
    private final Map<PartyId, Host> hosts;

    private PartyHosting(String node, Map<PartyId, Host> hosts) {
        this.node = node;
        this.hosts = Map.copyOf(hosts);
    }

    /** A node of a network of one node: it hosts every party. */
    public static PartyHosting everyParty() {
        return new PartyHosting(null, Map.of());
    }

    /**
     * @param node this node's id
     * @param hosts the node that hosts each party of the network (this one among them)
     */
    public static PartyHosting of(String node, Map<PartyId, Host> hosts) {
        return new PartyHosting(node, hosts);
    }

    public boolean hosts(PartyId party) {
        return node == null || node.equals(hosts.containsKey(party) ? hosts.get(party).node() : null);
    }

    /**
     * @throws HostedElsewhereException (403) naming the node that hosts the caller's party
     */
    public MeshPrincipal check(MeshPrincipal principal) {
        if (hosts(principal.party())) {
            return principal;
        }
        Host host = hosts.get(principal.party());
        if (host == null) {
            throw new UnmappedCallerException("'" + principal.name() + "' belongs to party " + principal.party()
                    + ", which no node of this network hosts");
        }
        throw new HostedElsewhereException(principal.party(), host, node);
    }

    /** This node's id, or null in a network of one node. */
    public String node() {
        return node;
    }
}
