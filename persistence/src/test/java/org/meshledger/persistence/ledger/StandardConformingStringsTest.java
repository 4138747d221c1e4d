package org.meshledger.persistence.ledger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.meshledger.persistence.testing.TestPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The store's literal quoting is safe only with standard-conforming strings: a node refuses a database without. */
class StandardConformingStringsTest {

    @Test
    void aDatabaseReadingBackslashEscapesIsRefused() throws Exception {
        EmbeddedPostgres server = TestPostgres.shared();
        String name = TestPostgres.newDatabase(server, "scs");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.url(server, name));
        ds.setUser("postgres");
        assertDoesNotThrow(() -> new LedgerStore(ds).checkStandardConformingStrings());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " SET standard_conforming_strings = off");
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new LedgerStore(ds).checkStandardConformingStrings());
        assertTrue(refused.getMessage().contains("standard_conforming_strings = off"), refused.getMessage());
    }
}
