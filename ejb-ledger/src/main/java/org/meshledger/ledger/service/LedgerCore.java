package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.BlockApplier;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.ordering.InNodeOrdering;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.query.RetentionReport;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.transaction.SubmitChecks;
import org.meshledger.persistence.ledger.IdempotencyStore;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.OutboxStore;
import org.meshledger.persistence.ledger.ReadReceiptStore;

/**
 * The ledger's running parts wired together on a migrated database: store, chain state, block
 * applier, ordering, reader, proofs and the submitter. The node's {@link LedgerEngine} opens one when
 * it starts; benchmarks and the connectors' tests open one in process the same way, so that what they
 * exercise is what the server runs.
 */
public final class LedgerCore implements AutoCloseable {

    private final NetworkDefinition network;
    private final DataSource dataSource;
    private final AccessPolicy policy;
    private final LedgerStore store;
    private final ChainState chain;
    private final TransactionOrdering ordering;
    private final RecordReader reader;
    private final ReadReceiptStore receipts;
    private final RetentionReport retention;
    private final LedgerProofs proofs;
    private final TransactionSubmitter submitter;

    /** Makes the ordering of a core, once its store and chain are open. */
    @FunctionalInterface
    interface OrderingFactory {
        TransactionOrdering open(NetworkDefinition network, AccessPolicy policy, LedgerStore store, ChainState chain)
                throws SQLException;
    }

    private LedgerCore(NetworkDefinition network, DataSource dataSource, NodeSigningKey signingKey, Clock clock,
            OrderingFactory orderings) throws SQLException {
        this.network = network;
        this.dataSource = dataSource;
        this.policy = new AccessPolicy();
        this.store = new LedgerStore(dataSource);
        store.checkStandardConformingStrings();
        this.chain = ChainState.load(store);
        ensureListIndexes();
        this.ordering = orderings.open(network, policy, store, chain);
        this.proofs = new LedgerProofs(network.id(), store, signingKey);
        this.receipts = new ReadReceiptStore(dataSource);
        this.reader = new RecordReader(network.schema(), policy, store, proofs, receipts, clock);
        this.retention = new RetentionReport(network.schema(), store, clock);
        SubmitChecks submitChecks = new SubmitChecks(network.schema(), policy,
                network.parties().stream().map(PartyDefinition::id).collect(Collectors.toSet()),
                network.schema().limits());
        this.submitter = new TransactionSubmitter(submitChecks, store, reader, ordering,
                new IdempotencyStore(dataSource), clock);
    }

    /**
     * Opens the ledger on a database the migrations have brought up to date.
     *
     * @param threads makes the ordering's threads (the server's managed thread factory)
     */
    public static LedgerCore open(NetworkDefinition network, DataSource dataSource, NodeSigningKey signingKey,
            BlockPolicy blockPolicy, ThreadFactory threads, Clock clock) throws SQLException {
        return new LedgerCore(network, dataSource, signingKey, clock, (n, policy, store, chain) ->
                new InNodeOrdering(new BlockApplier(n, policy, store), chain, blockPolicy, threads, clock));
    }

    /**
     * Opens the ledger of one node of a network of nodes ({@link NetworkNodeOrdering}): ordered on
     * the network's order log, checked at start against the log its ledger was built from.
     *
     * @throws org.meshledger.ledger.ordering.kafka.LogStartException if the log is not the one this
     *         ledger was built from (the node halts rather than build a different history)
     */
    public static LedgerCore openNode(NetworkDefinition network, String self, DataSource dataSource,
            org.meshledger.ledger.views.NodeKeys.Pair keys, org.meshledger.ledger.ordering.kafka.OrderLogSettings log,
            org.meshledger.ledger.ordering.network.NetworkOrdering.Settings settings, ThreadFactory threads,
            Clock clock) throws SQLException {
        return new LedgerCore(network, dataSource, keys.signing(), clock, (n, policy, store, chain) ->
                NetworkNodeOrdering.open(n, self, dataSource, policy, store, chain, keys, log, settings, threads, clock));
    }

    /** The indexes the schema's x-indexes ask for (made once; a few seconds on a large ledger). */
    private void ensureListIndexes() throws SQLException {
        for (RecordType type : network.schema().types()) {
            Map<String, Boolean> fields = new LinkedHashMap<>();
            type.indexes().forEach(field -> fields.put(field, type.isNumeric(field)));
            store.ensureListIndexes(type.name(), fields);
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

    /** The outbox and its reading of committed blocks (events, connectors). */
    public OutboxStore outbox() {
        return new OutboxStore(dataSource, store);
    }

    public ChainState chain() {
        return chain;
    }

    public TransactionOrdering ordering() {
        return ordering;
    }

    public RecordReader reader() {
        return reader;
    }

    public ReadReceiptStore receipts() {
        return receipts;
    }

    public RetentionReport retention() {
        return retention;
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

    @Override
    public void close() {
        ordering.close();
    }
}
