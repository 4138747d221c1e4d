package org.meshledger.ledger.identity;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

/**
 * The node's {@link PartyHosting}, set once by the ledger when it starts (before it serves any
 * request) and read on every call by {@link CurrentPrincipal}. Until then every party counts as
 * hosted, as in a network of one node.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class HostedParties {

    private volatile PartyHosting hosting = PartyHosting.everyParty();

    public PartyHosting get() {
        return hosting;
    }

    public void set(PartyHosting hosting) {
        this.hosting = hosting;
    }
}
