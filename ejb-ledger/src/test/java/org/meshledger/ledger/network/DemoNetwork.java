package org.meshledger.ledger.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The demo network of the repository, for tests. */
public final class DemoNetwork {

    public static final String RESOURCE = "/networks/mortgage-servicing.network.json";

    private static NetworkDefinition network;

    private DemoNetwork() {
    }

    public static synchronized NetworkDefinition get() {
        if (network == null) {
            try (InputStream in = DemoNetwork.class.getResourceAsStream(RESOURCE)) {
                network = new NetworkLoader().load(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return network;
    }

    /** The demo network as a network of three nodes, with fresh keys ({@link DemoNodes}). */
    public static NetworkDefinition withNodes() {
        return DemoNodes.get().network();
    }
}
