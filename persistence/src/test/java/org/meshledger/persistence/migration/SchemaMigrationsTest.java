package org.meshledger.persistence.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.meshledger.persistence.testing.TestPostgres;

/** The migrations against a real, empty PostgreSQL. */
class SchemaMigrationsTest {

    @Test
    void migratesAnEmptyDatabaseOnceAndKeepsItsData() throws SQLException {
        DataSource db = freshDatabase("migrate_once");
        SchemaMigrations migrations = new SchemaMigrations(db);
        assertNull(migrations.currentVersion(), "an empty database has no schema version");

        MigrateResult first = migrations.migrate();
        assertTrue(first.migrationsExecuted > 0, "the first start applies the migrations");
        assertEquals(List.of("connector_cursor", "connector_dead_letter", "connector_record_link", "event_dead_letter",
                "idempotency_request", "ledger_block", "ledger_transaction", "network_evidence", "node_checkpoint",
                "node_identity", "node_start", "order_batch", "order_position", "outbox_block", "read_receipt",
                "record_current", "record_version"), tables(db));

        execute(db, "INSERT INTO node_identity (node_id, created_at) VALUES (gen_random_uuid(), now())");
        MigrateResult second = new SchemaMigrations(db).migrate();
        assertEquals(0, second.migrationsExecuted, "a second start applies nothing");
        assertEquals(1, count(db, "SELECT count(*) FROM node_identity"), "data survives a second start");
        assertEquals(first.targetSchemaVersion, migrations.currentVersion());
    }

    @Test
    void aLedgerWrittenBeforeSaltedHashesIsRefusedWithTheReasonNotHalfUpgraded() throws SQLException {
        DataSource db = freshDatabase("before_salts");
        org.flywaydb.core.Flyway.configure().dataSource(db).locations(SchemaMigrations.LOCATION).target("2").load()
                .migrate();
        execute(db, "INSERT INTO ledger_block (height, header, previous_hash, merkle_root, tx_count, block_time, hash, "
                + "ledger_root) VALUES (1, '{}', '\\x00', '\\x00', 1, now(), '\\x01', '\\x00')");

        RuntimeException refused = assertThrows(RuntimeException.class, () -> new SchemaMigrations(db).migrate());

        assertTrue(String.valueOf(refused.getMessage()).contains("cannot be upgraded"), refused.getMessage());
        assertEquals("2", new SchemaMigrations(db).currentVersion(), "nothing of version 3 was applied");
    }

    @Test
    void aNodeHasOneIdentityOnly() throws SQLException {
        DataSource db = freshDatabase("one_identity");
        new SchemaMigrations(db).migrate();
        execute(db, "INSERT INTO node_identity (node_id, created_at) VALUES (gen_random_uuid(), now())");

        SQLException refused = assertThrows(SQLException.class, () -> execute(db,
                "INSERT INTO node_identity (node_id, created_at) VALUES (gen_random_uuid(), now())"));
        assertEquals("23505", refused.getSQLState(), "a second identity violates the primary key");
    }

    private static DataSource freshDatabase(String name) throws SQLException {
        EmbeddedPostgres server = TestPostgres.shared();
        return server.getDatabase("postgres", TestPostgres.newDatabase(server, name));
    }

    private static List<String> tables(DataSource db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history' "
                        + "ORDER BY table_name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
