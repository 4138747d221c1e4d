package org.meshledger.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.config.ConnectorsLoader;
import org.meshledger.connect.mapping.MappingLoader;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NetworkLoader;

/** The run command's connectors file reads, and every mapping in it fits the demo network's schema. */
class DemoConnectorsTest {

    @Test
    void theDemoConnectorsAndTheirMappingsFitTheNetwork() throws Exception {
        NetworkDefinition network;
        try (InputStream in = getClass().getResourceAsStream("/networks/mortgage-servicing.network.json")) {
            network = new NetworkLoader().load(in, "demo network");
        }
        List<ConnectorDefinition> connectors;
        Map<String, String> env = Map.of("MESHLEDGER_DEMO_SALESFORCE_URL", "http://127.0.0.1:8280",
                "MESHLEDGER_DEMO_DYNAMICS_URL", "http://127.0.0.1:8281", "MESHLEDGER_DEMO_DEPOT", "/tmp/depot");
        try (InputStream in = getClass().getResourceAsStream("/connectors/demo-connectors.json")) {
            connectors = new ConnectorsLoader(env::get, Set.of("loan-owner", "servicer", "securitizer", "home-owner"))
                    .load(in, "demo connectors");
        }
        assertEquals(List.of("servicer-webhook", "securitizer-depot", "servicer-salesforce", "owner-dynamics"),
                connectors.stream().map(ConnectorDefinition::id).toList());
        MappingLoader mappings = new MappingLoader(network.schema());
        int loaded = 0;
        for (ConnectorDefinition connector : connectors) {
            for (var mapping : connector.mappings()) {
                mappings.load(mapping);
                loaded++;
            }
        }
        assertEquals(9, loaded);
    }
}
