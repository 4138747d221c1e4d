package org.meshledger.ledger.identity;

/**
 * A caller of a party that another node hosts (HTTP 403): it is told which node, and where that
 * node is, so that it goes there.
 */
public class HostedElsewhereException extends UnmappedCallerException {

    private static final long serialVersionUID = 1L;

    private final transient PartyHosting.Host host;

    public HostedElsewhereException(PartyId party, PartyHosting.Host host, String thisNode) {
        super("Party " + party + " is hosted by node " + host.node()
                + (host.address() == null ? "" : " (" + host.address() + ")") + ", not by this node (" + thisNode
                + "): call that node");
        this.host = host;
    }

    public PartyHosting.Host host() {
        return host;
    }
}
