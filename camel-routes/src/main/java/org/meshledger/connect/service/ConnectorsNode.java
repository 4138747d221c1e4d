package org.meshledger.connect.service;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;

import org.eclipse.microprofile.config.ConfigProvider;
import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.config.ConnectorsLoader;
import org.meshledger.connect.runtime.ConnectorRuntime;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorProvider;
import org.meshledger.ledger.service.LedgerEngine;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.health.ConnectorStatusBoard;

/**
 * The node's connectors, started with it after the ledger: the connectors file
 * ({@code MESHLEDGER_CONNECTORS_FILE}) read, the connector kinds installed in the EAR found (every
 * module's {@code META-INF/services/org.meshledger.connect.spi.ConnectorProvider}), and one Camel
 * context running them on the server's managed threads; stopped with the node. Without a connectors
 * file the node runs no connectors. A file that cannot be read stops the start, as a bad network
 * definition does; a connector that cannot start (its kind missing, a wrong mapping) says why in
 * health and the portal while the others run.
 */
@Singleton
@Startup
@DependsOn("LedgerEngine")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConnectorsNode {

    private static final Logger LOG = Logger.getLogger(ConnectorsNode.class.getName());

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Resource
    private ManagedThreadFactory threads;

    @EJB
    private LedgerEngine engine;

    private ConnectorRuntime runtime;
    private ConnectorStore store;

    @PostConstruct
    void start() {
        store = new ConnectorStore(dataSource, Clock.systemUTC());
        ConnectorStatusBoard.clear();
        Optional<Path> file = ConfigProvider.getConfig().getOptionalValue("meshledger.connectors.file", String.class)
                .filter(s -> !s.isBlank()).map(Path::of);
        List<ConnectorDefinition> definitions = List.of();
        if (file.isEmpty()) {
            LOG.info("Connectors: none configured (MESHLEDGER_CONNECTORS_FILE)");
        } else {
            try {
                definitions = new ConnectorsLoader(ConnectorsLoader.environment(), engine.network().parties().stream()
                        .map(p -> p.id().value()).collect(Collectors.toSet())).load(file.get());
            } catch (ConnectorConfigException e) {
                String message = "MeshLedger cannot start: the connectors file cannot be used: " + e.getMessage()
                        + " (fix it, or unset MESHLEDGER_CONNECTORS_FILE)";
                LOG.log(Level.SEVERE, message);
                throw new IllegalStateException(message);
            }
        }
        List<ConnectorProvider> providers = new ArrayList<>();
        ServiceLoader.load(ConnectorProvider.class, ConnectorsNode.class.getClassLoader()).forEach(providers::add);
        runtime = new ConnectorRuntime(engine.core(), store, definitions, providers, threads, Clock.systemUTC());
        try {
            runtime.start();
        } catch (Exception e) {
            String message = "MeshLedger cannot start its connectors: " + e.getMessage();
            LOG.log(Level.SEVERE, message, e);
            throw new IllegalStateException(message, e);
        }
    }

    @PreDestroy
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    public ConnectorRuntime runtime() {
        return runtime;
    }

    public ConnectorStore store() {
        return store;
    }

    /** The ledger's height now. */
    public long ledgerHeight() {
        return engine.chain().height();
    }
}
