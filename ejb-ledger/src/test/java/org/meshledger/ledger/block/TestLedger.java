package org.meshledger.ledger.block;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.ordering.InNodeOrdering;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.migration.SchemaMigrations;
import org.meshledger.persistence.testing.TestPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A ledger on a fresh database of a real PostgreSQL (embedded binaries), wired as the node wires it:
 * store, chain state, block applier, in-node ordering.
 */
final class TestLedger implements AutoCloseable {

    final DataSource dataSource;
    final LedgerStore store;
    final ChainState chain;
    final BlockApplier applier;
    final InNodeOrdering ordering;

    private TestLedger(DataSource dataSource, Clock clock, BlockPolicy policy) throws SQLException {
        this.dataSource = dataSource;
        new SchemaMigrations(dataSource).migrate();
        this.store = new LedgerStore(dataSource);
        this.chain = ChainState.load(store);
        this.applier = new BlockApplier(DemoNetwork.get(), new AccessPolicy(), store);
        this.ordering = new InNodeOrdering(applier, chain, policy, Executors.defaultThreadFactory(), clock);
    }

    /** A ledger on this database (a fresh one, or one wrapped to misbehave), cutting blocks by this policy. */
    static TestLedger on(DataSource dataSource, BlockPolicy policy) throws SQLException {
        return new TestLedger(dataSource, Clock.systemUTC(), policy);
    }

    static TestLedger fresh() throws SQLException {
        return fresh(Clock.systemUTC());
    }

    static TestLedger fresh(Clock clock) throws SQLException {
        return new TestLedger(freshDatabase(), clock, BlockPolicy.DEFAULT);
    }

    /** A new, empty database of the test JVM's server. */
    static DataSource freshDatabase() throws SQLException {
        EmbeddedPostgres server = TestPostgres.shared();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.url(server, TestPostgres.newDatabase(server, "ledger")));
        ds.setUser("postgres");
        ds.setReWriteBatchedInserts(true);
        return ds;
    }

    /** Proofs signed with a node key kept under target/. */
    LedgerProofs proofs() {
        try {
            return new LedgerProofs(DemoNetwork.get().id(), store,
                    NodeSigningKey.loadOrCreate(java.nio.file.Path.of("target", "test-node-key.pem")));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static MeshPrincipal principal(String party, String name) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, name, "sub-" + name,
                Set.of(Role.VIEWER, Role.EDITOR));
    }

    /** Submits and waits until committed (or rejected). */
    TransactionOutcome commit(MeshPrincipal principal, String idempotencyKey, Operation... operations) {
        return commit(new Submission(UUID.randomUUID(), principal,
                new TransactionRequest(idempotencyKey, null, null, null, List.of(operations))));
    }

    TransactionOutcome commit(Submission submission) {
        try {
            return ordering.submit(submission).committed().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        ordering.close();
    }
}
