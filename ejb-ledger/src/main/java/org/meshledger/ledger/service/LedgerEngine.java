package org.meshledger.ledger.service;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Clock;
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
import org.meshledger.ledger.block.BlockApplier;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.ordering.InNodeOrdering;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.query.RetentionReport;
import org.meshledger.ledger.transaction.SubmitChecks;
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

    private NetworkDefinition network;
    private AccessPolicy policy;
    private LedgerStore store;
    private ChainState chain;
    private TransactionOrdering ordering;
    private RecordReader reader;
    private ReadReceiptStore receipts;
    private RetentionReport retention;
    private LedgerProofs proofs;
    private NodeSigningKey signingKey;
    private TransactionSubmitter submitter;

    @PostConstruct
    void start() {
        network = networks.network();
        policy = new AccessPolicy();
        store = new LedgerStore(dataSource);
        try {
            signingKey = NodeSigningKey.loadOrCreate(LedgerSettings.signingKeyFile());
            chain = ChainState.load(store);
            ensureListIndexes();
        } catch (IOException | GeneralSecurityException | SQLException e) {
            String message = "MeshLedger cannot start: the ledger cannot be opened: " + e.getMessage();
            LOG.log(Level.SEVERE, message, e);
            throw new IllegalStateException(message);
        }
        BlockApplier applier = new BlockApplier(network, policy, store);
        ordering = new InNodeOrdering(applier, chain, LedgerSettings.blockPolicy(), threads, Clock.systemUTC());
        proofs = new LedgerProofs(network.id(), store, signingKey);
        receipts = new ReadReceiptStore(dataSource);
        reader = new RecordReader(network.schema(), policy, store, proofs, receipts, Clock.systemUTC());
        retention = new RetentionReport(network.schema(), store, Clock.systemUTC());
        SubmitChecks submitChecks = new SubmitChecks(network.schema(), policy,
                network.parties().stream().map(PartyDefinition::id).collect(java.util.stream.Collectors.toSet()));
        submitter = new TransactionSubmitter(submitChecks, store, reader, ordering);
        LOG.info(() -> "MeshLedger ledger open at height " + chain.height() + "; node signing key "
                + signingKey.publicKeyBase64());
    }

    /** The indexes the schema's x-indexes ask for (made once; a few seconds on a large ledger). */
    private void ensureListIndexes() throws SQLException {
        for (org.meshledger.ledger.schema.RecordType type : network.schema().types()) {
            java.util.Map<String, Boolean> fields = new java.util.LinkedHashMap<>();
            type.indexes().forEach(field -> fields.put(field, type.isNumeric(field)));
            store.ensureListIndexes(type.name(), fields);
        }
    }

    @PreDestroy
    void stop() {
        if (ordering != null) {
            ordering.close();
        }
    }

    public NetworkDefinition network() {
        return network;
    }

    public AccessPolicy policy() {
        return policy;
    }

    public LedgerStore store() {
        return store;
    }

    public ChainState chain() {
        return chain;
    }

    public TransactionOrdering ordering() {
        return ordering;
    }

    public RetentionReport retention() {
        return retention;
    }

    public ReadReceiptStore receipts() {
        return receipts;
    }

    public RecordReader reader() {
        return reader;
    }

    public LedgerProofs proofs() {
        return proofs;
    }


    public TransactionSubmitter submitter() {
        return submitter;
    }

    public LedgerVerifier verifier() {
        return new LedgerVerifier(network.id(), store);
    }
}
