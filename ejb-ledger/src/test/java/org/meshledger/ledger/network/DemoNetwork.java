package org.meshledger.ledger.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The demo network of the repository, for tests. */
public final class DemoNetwork {

    public static final String RESOURCE = "/networks/mortgage-servicing.network.json";

    private static NetworkDefinition network;
    private static NetworkDefinition withNodes;

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

    /**
     * The demo network as a network of three nodes (owner-node, servicer-node hosting the servicer
     * and the home owners, securitizer-node), with fresh keys.
     */
    public static synchronized NetworkDefinition withNodes() {
        if (withNodes == null) {
            try {
                withNodes = new NetworkLoader().load(new java.io.ByteArrayInputStream(
                        org.meshledger.ledger.json.Json.write(NetworkNodesTest.template())
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "the demo network of nodes");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return withNodes;
    }
}
