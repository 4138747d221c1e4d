package org.meshledger.ledger.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

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

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.identity.DemoCredentials;
import org.meshledger.ledger.identity.HostedParties;
import org.meshledger.ledger.identity.IdentityProviderSettings;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NetworkDefinitionException;
import org.meshledger.ledger.network.NodeDefinition;
import org.meshledger.ledger.ordering.network.NetworkOrdering;
import org.meshledger.ledger.views.NodeEncryptionKey;
import org.meshledger.ledger.views.NodeKeys;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.ledger.query.RetentionReport;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.ReadReceiptStore;

/**
 * The ledger's running parts, wired once when the node starts (after the database is migrated and
 * the network loaded): store, chain state, block applier, ordering (on a managed thread), reader,
 * proofs and verifier. The services below the REST API use these; none builds its own.
 */
@Singleton
@Startup
@DependsOn({"DatabaseMigration", "NetworkRegistry"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// The ledger manages its own database transactions: one per block, never a container one.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerEngine {

    private static final Logger LOG = Logger.getLogger(LedgerEngine.class.getName());

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Resource
    private ManagedThreadFactory threads;

    @EJB
    private NetworkRegistry networks;

    @EJB
    private HostedParties hostedParties;

    private LedgerCore core;

    @PostConstruct
    void start() {
        List<String> misused = DemoCredentials.misused(IdentityProviderSettings.fromConfig(), System.getenv());
        if (!misused.isEmpty()) {
            String message = "MeshLedger cannot start: the demo's published credentials are in use outside the demo: "
                    + String.join("; ", misused) + ". Set credentials of your own.";
            LOG.log(Level.SEVERE, message);
            throw new IllegalStateException(message);
        }
        try {
            Path keyFile = LedgerSettings.signingKeyFile();
            Optional<BlockRow> last = new LedgerStore(dataSource).lastBlock();
            if (!Files.exists(keyFile) && last.isPresent()) {
                // A new key would sign digests that nothing links to those the parties already hold.
                throw new IllegalStateException("the ledger holds " + last.get().height() + " blocks but the node's "
                        + "signing key " + keyFile + " is missing: restore it (or point MESHLEDGER_NODE_SIGNING_KEY_FILE "
                        + "at it); the node does not sign its ledger with a new key silently");
            }
            NodeSigningKey signingKey = NodeSigningKey.loadOrCreate(keyFile);
            NetworkDefinition network = networks.network();
            String nodeId = LedgerSettings.nodeId().orElse(null);
            hostedParties.set(network.hosting(nodeId));
            if (network.hasNodes()) {
                NodeDefinition node = network.node(nodeId).orElseThrow();
                checkSigningKey(node, signingKey, keyFile);
                core = openNode(network, node, signingKey, last.isPresent());
            } else {
                core = LedgerCore.open(network, dataSource, signingKey, LedgerSettings.blockPolicy(), threads,
                        Clock.systemUTC());
            }
            LOG.info(() -> "MeshLedger ledger open at height " + core.chain().height() + "; node signing key "
                    + signingKey.publicKeyBase64());
        } catch (IOException | GeneralSecurityException | SQLException | IllegalStateException
                | NetworkDefinitionException | org.meshledger.ledger.ordering.kafka.LogStartException
                | org.meshledger.ledger.ordering.kafka.OrderLogUnavailableException
                | org.meshledger.ledger.ordering.kafka.UnsafeTopicException e) {
            String message = "MeshLedger cannot start: the ledger cannot be opened: " + e.getMessage();
            LOG.log(Level.SEVERE, message, e);
            throw new IllegalStateException(message);
        }
    }

    /**
     * Opens the ledger of a node of a network of nodes: its encryption key (as the network file gives
     * it) and the network's order log (checked against what its ledger was built from).
     */
    private LedgerCore openNode(NetworkDefinition network, NodeDefinition node, NodeSigningKey signingKey,
            boolean hasLedger) throws IOException, GeneralSecurityException, SQLException {
        Path encryptionFile = LedgerSettings.encryptionKeyFile();
        if (!Files.exists(encryptionFile) && hasLedger) {
            throw new IllegalStateException("the node's encryption key " + encryptionFile + " is missing: without it "
                    + "the views sealed to this node cannot be read; restore it (MESHLEDGER_NODE_ENCRYPTION_KEY_FILE)");
        }
        NodeEncryptionKey encryption = NodeEncryptionKey.loadOrCreate(encryptionFile);
        String expected = java.util.Base64.getEncoder().encodeToString(node.encryptionKey().getEncoded());
        if (!expected.equals(encryption.publicKeyBase64())) {
            throw new IllegalStateException("the encryption key in " + encryptionFile + " is not the one the network "
                    + "file gives for node '" + node.id() + "' (" + expected + "; this one is "
                    + encryption.publicKeyBase64() + ")");
        }
        var log = LedgerSettings.orderLog(network.id()).orElseThrow(() -> new IllegalStateException("node '"
                + node.id() + "' of a network of nodes needs the network's Kafka: set MESHLEDGER_ORDER_BOOTSTRAP_SERVERS "
                + "(or MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS)"));
        LedgerCore opened = LedgerCore.openNode(network, node.id(), dataSource, new NodeKeys.Pair(signingKey,
                encryption), log, NetworkOrdering.Settings.DEFAULT, threads, Clock.systemUTC());
        LOG.info(() -> "MeshLedger node " + node.id() + " of network " + network.id() + " hosts "
                + node.parties() + "; order topic " + log.topic() + " on " + log.bootstrapServers());
        return opened;
    }

    /** The key the node signs with is the one the network file gives for it: others check its messages with that. */
    private static void checkSigningKey(NodeDefinition node, NodeSigningKey key, Path keyFile) {
        String expected = java.util.Base64.getEncoder().encodeToString(node.signingKey().getEncoded());
        if (!expected.equals(key.publicKeyBase64())) {
            throw new IllegalStateException("the signing key in " + keyFile + " is not the one the network file gives "
                    + "for node '" + node.id() + "' (" + expected + "; this one is " + key.publicKeyBase64()
                    + "): point MESHLEDGER_NODE_SIGNING_KEY_FILE at the node's key, or put its public key in the file");
        }
    }

    @PreDestroy
    void stop() {
        if (core != null) {
            core.close();
        }
    }

    /** The running parts, for the node's other modules (events, connectors). */
    public LedgerCore core() {
        return core;
    }

    public NetworkDefinition network() {
        return core.network();
    }

    public AccessPolicy policy() {
        return core.policy();
    }

    public LedgerStore store() {
        return core.store();
    }

    public ChainState chain() {
        return core.chain();
    }

    public TransactionOrdering ordering() {
        return core.ordering();
    }

    public RetentionReport retention() {
        return core.retention();
    }

    public ReadReceiptStore receipts() {
        return core.receipts();
    }

    public RecordReader reader() {
        return core.reader();
    }

    public LedgerProofs proofs() {
        return core.proofs();
    }

    public TransactionSubmitter submitter() {
        return core.submitter();
    }

    public LedgerVerifier verifier() {
        return core.verifier();
    }
}
