package org.meshledger.ledger.node;

import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.flywaydb.core.api.output.MigrateResult;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.health.DatabaseDiagnosis;
import org.meshledger.persistence.migration.SchemaMigrations;

/**
 * Migrates the database when the application starts, before any other bean touches it (they
 * declare {@code @DependsOn("DatabaseMigration")}). If the database cannot be reached or the
 * migrations are missing, the deployment fails with one clear sentence.
 */
@Singleton
@Startup
// Flyway commits on its own connection; it must not run inside a container transaction.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseMigration {

    private static final Logger LOG = Logger.getLogger(DatabaseMigration.class.getName());

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    private String schemaVersion;

    @PostConstruct
    void migrate() {
        try {
            SchemaMigrations migrations = new SchemaMigrations(dataSource);
            MigrateResult result = migrations.migrate();
            schemaVersion = migrations.currentVersion();
            LOG.info(() -> "MeshLedger database schema at version " + schemaVersion + " ("
                    + result.migrationsExecuted + " migration(s) applied now)");
        } catch (RuntimeException e) {
            String message = "MeshLedger cannot start: " + DatabaseDiagnosis.describe(e);
            LOG.log(Level.SEVERE, message);
            // The sentence above says it all; the cause chain would only bury it in the server log.
            throw new IllegalStateException(message);
        }
    }

    public String schemaVersion() {
        return schemaVersion;
    }
}
