package org.meshledger.connect.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NetworkLoader;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.migration.SchemaMigrations;
import org.meshledger.persistence.testing.TestPostgres;

/**
 * A node's ledger in this process, as the server wires it ({@link LedgerCore}), on a fresh database
 * of a real PostgreSQL (embedded binaries, started once per test JVM, or a benchmark's durable
 * server), with the demo network: what the connectors' tests and benchmark run against.
 */
public final class EmbeddedLedger implements AutoCloseable {

    private static final String NETWORK = "/networks/mortgage-servicing.network.json";
    private static NetworkDefinition network;

    private final HikariDataSource dataSource;
    private final LedgerCore core;

    private EmbeddedLedger(HikariDataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        new SchemaMigrations(dataSource).migrate();
        try {
            core = LedgerCore.open(network(), dataSource, NodeSigningKey.loadOrCreate(Path.of("target",
                    "test-node-key.pem")), BlockPolicy.DEFAULT, Executors.defaultThreadFactory(), Clock.systemUTC());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ledger on a new, empty database of the test JVM's server. */
    public static EmbeddedLedger fresh() throws SQLException {
        return fresh(TestPostgres.shared(), 10);
    }

    /**
     * A ledger on a new, empty database of this server (a benchmark's durable one), with a pool of
     * this many connections.
     */
    public static EmbeddedLedger fresh(EmbeddedPostgres server, int connections) throws SQLException {
        return new EmbeddedLedger(pool(TestPostgres.url(server, TestPostgres.newDatabase(server, "connectors")),
                connections));
    }

    /** The same database opened again, as a restarted node would (the other must be closed). */
    public EmbeddedLedger reopen() throws SQLException {
        return new EmbeddedLedger(pool(dataSource.getJdbcUrl(), dataSource.getMaximumPoolSize()));
    }

    public static synchronized NetworkDefinition network() {
        if (network == null) {
            try (InputStream in = EmbeddedLedger.class.getResourceAsStream(NETWORK)) {
                network = new NetworkLoader().load(in, NETWORK);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return network;
    }

    private static HikariDataSource pool(String url, int connections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(connections);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    public LedgerCore core() {
        return core;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A user of a party with every role, as the portal's users are. */
    public static MeshPrincipal user(String party, String name) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, name, "sub-" + name,
                Set.of(Role.VIEWER, Role.EDITOR, Role.PARTY_ADMIN));
    }

    /** Submits operations as the principal and waits for the outcome. */
    public TransactionOutcome commit(MeshPrincipal principal, Operation... operations) {
        try {
            return core.submitter().submit(principal, new TransactionRequest(UUID.randomUUID().toString(), null, null,
                    null, List.of(operations))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record's current row (deleted ones included), or null. */
    public RecordVersionRow current(String type, String id) throws SQLException {
        RecordKey key = new RecordKey(type, id);
        return core.store().current(List.of(key)).get(key);
    }

    /** A record's current state, or null. */
    public JsonNode state(String type, String id) throws SQLException {
        RecordVersionRow row = current(type, id);
        return row == null || row.deleted() ? null : Json.parse(row.state());
    }

    public long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        core.close();
        dataSource.close();
    }
}
