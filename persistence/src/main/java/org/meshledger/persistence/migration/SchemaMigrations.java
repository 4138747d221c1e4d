package org.meshledger.persistence.migration;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the schema this version of MeshLedger needs, with the SQL migrations in
 * {@value #LOCATION}. The server runs it at start-up and the tests run the same code, so what
 * is tested is what runs.
 */
public final class SchemaMigrations {

    public static final String LOCATION = "classpath:db/migration";

    private final Flyway flyway;

    public SchemaMigrations(DataSource dataSource) {
        this.flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                // A migration that was edited after it was applied is an error, never silently re-run.
                .validateOnMigrate(true)
                .cleanDisabled(true)
                .load();
    }

    /**
     * Applies the pending migrations.
     *
     * @throws NoMigrationsFoundException when the packaging lost the migrations: starting on a
     *         database without a schema would only fail later and less clearly
     */
    public MigrateResult migrate() {
        MigrationInfo[] known = flyway.info().all();
        if (known.length == 0) {
            throw new NoMigrationsFoundException(LOCATION);
        }
        return flyway.migrate();
    }

    /** The version the database is at, or {@code null} before the first migration. */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? null : current.getVersion().getVersion();
    }
}
