package org.meshledger.connect.depot;

import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.ConnectorProvider;

/** The {@code file-depot} kind: a party's file drops, in a local directory or on SFTP. */
public final class FileDepotProvider implements ConnectorProvider {

    @Override
    public String kind() {
        return "file-depot";
    }

    @Override
    public Connector create(ConnectorContext context) {
        return new FileDepotConnector(context);
    }
}
