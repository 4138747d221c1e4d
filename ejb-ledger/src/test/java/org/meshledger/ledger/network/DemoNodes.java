package org.meshledger.ledger.network;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.views.NodeKeys;

/**
 * The demo network as a network of three nodes, with real key files for each node (in a folder of
 * its own), made once per test JVM: owner-node hosts the loan owner, servicer-node the servicer and
 * the home owners, securitizer-node the securitizer.
 */
public final class DemoNodes {

    private static DemoNodes instance;

    private final NetworkDefinition network;
    private final Map<String, NodeKeys.Pair> keys;

    private DemoNodes(NetworkDefinition network, Map<String, NodeKeys.Pair> keys) {
        this.network = network;
        this.keys = keys;
    }

    public static synchronized DemoNodes get() {
        if (instance == null) {
            try {
                Path folder = Files.createTempDirectory("meshledger-demo-nodes");
                Map<String, NodeKeys.Pair> keys = new LinkedHashMap<>();
                List<NetworkOfNodes.Entry> entries = new ArrayList<>();
                int port = 8180;
                for (List<String> node : NetworkOfNodes.DEMO_TOPOLOGY) {
                    NodeKeys.Pair pair = NodeKeys.create(folder.resolve(node.get(0)));
                    keys.put(node.get(0), pair);
                    entries.add(new NetworkOfNodes.Entry(node.get(0), node.subList(1, node.size()),
                            pair.signing().publicKeyBase64(), pair.encryption().publicKeyBase64(), "User:" + node.get(0),
                            "http://127.0.0.1:" + port));
                    port += 100;
                }
                ObjectNode file;
                try (InputStream in = DemoNodes.class.getResourceAsStream(DemoNetwork.RESOURCE)) {
                    file = (ObjectNode) Json.MAPPER.readTree(in);
                }
                NetworkDefinition network = new NetworkLoader().load(new ByteArrayInputStream(
                        Json.write(NetworkOfNodes.withNodes(file, entries)).getBytes(StandardCharsets.UTF_8)),
                        "the demo network of nodes");
                instance = new DemoNodes(network, keys);
            } catch (Exception e) {
                throw new IllegalStateException("The demo nodes could not be made", e);
            }
        }
        return instance;
    }

    public NetworkDefinition network() {
        return network;
    }

    public NodeKeys.Pair keys(String node) {
        return keys.get(node);
    }
}
