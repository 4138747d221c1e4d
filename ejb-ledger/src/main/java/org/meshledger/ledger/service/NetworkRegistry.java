package org.meshledger.ledger.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NetworkDefinitionException;
import org.meshledger.ledger.network.NetworkLoader;

/**
 * The network this node belongs to, loaded once at start-up from the definition file
 * ({@code MESHLEDGER_NETWORK_FILE}) or, without one, the demo network packaged with the node. An
 * invalid definition stops the start with its first problem.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class NetworkRegistry {

    static final String DEMO_NETWORK = "/networks/mortgage-servicing.network.json";

    private static final Logger LOG = Logger.getLogger(NetworkRegistry.class.getName());

    private volatile NetworkDefinition network;

    @PostConstruct
    void load() {
        Optional<Path> file = LedgerSettings.networkFile();
        String source = file.map(Path::toString).orElse("the demo network (" + DEMO_NETWORK + ")");
        try (InputStream in = file.isPresent() ? Files.newInputStream(file.get())
                : NetworkRegistry.class.getResourceAsStream(DEMO_NETWORK)) {
            if (in == null) {
                throw new NetworkDefinitionException("the packaged demo network is missing");
            }
            network = new NetworkLoader(LedgerSettings.inputLimits()).load(in, source);
            LOG.info(() -> "MeshLedger network '" + network.id() + "': " + network.parties().size() + " parties, "
                    + network.schema().types().size() + " record types (schema " + network.schema().version() + ")");
        } catch (IOException | NetworkDefinitionException e) {
            String message = "MeshLedger cannot start: the network definition " + source + " cannot be used: "
                    + e.getMessage() + " (set MESHLEDGER_NETWORK_FILE to a valid definition)";
            LOG.log(Level.SEVERE, message);
            throw new IllegalStateException(message);
        }
    }

    public NetworkDefinition network() {
        return network;
    }
}
