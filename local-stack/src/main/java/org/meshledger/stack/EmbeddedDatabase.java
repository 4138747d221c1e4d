package org.meshledger.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries in a Maven artifact, with its data in a folder that
 * outlives it: stop it and start it on the same folder, and the data is there. The application's
 * role signs in with a password, as on a production server; only the superuser, on loopback, does
 * not (it creates the application's database).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "meshledger";
    public static final String USER = "meshledger";
    /** Demo credential of the embedded stack only. */
    public static final String DEMO_PASSWORD = "meshledger";

    private static final String HBA = """
            # Written by MeshLedger's local stack. The superuser over loopback without a password, to
            # create the application's database; every other role with its password.
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * @param dataDirectory the database files; created on first start, kept afterwards
     * @param binariesDirectory where the PostgreSQL binaries are unpacked
     * @param port the port to listen on (loopback)
     * @param log where the server writes its output
     */
    public static EmbeddedDatabase start(Path dataDirectory, Path binariesDirectory, int port, Path log) {
        Ports.requireFree(port, "PostgreSQL", "MESHLEDGER_PG_PORT");
        try {
            Files.createDirectories(binariesDirectory);
            Files.createDirectories(log.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binariesDirectory.toFile())
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Durable commits: the embedded server's defaults turn them off, fine for throwaway tests only.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setDataDirectoryCustomizer(EmbeddedDatabase::requirePasswords)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, port);
            database.createApplicationDatabase();
            return database;
        } catch (IOException | SQLException e) {
            throw new StackException("PostgreSQL did not start on port " + port + " with data in " + dataDirectory + ": "
                    + e.getMessage() + " (see " + log + ")", e);
        }
    }

    private static void requirePasswords(java.io.File dataDirectory) {
        try {
            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StackException("Cannot write pg_hba.conf in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    private void createApplicationDatabase() throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                try (Statement s = admin.createStatement()) {
                    s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + DEMO_PASSWORD + "'");
                }
            }
            if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                try (Statement s = admin.createStatement()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A connection as the superuser, for tests that look inside. */
    public Connection superuserConnection() throws SQLException {
        return postgres.getDatabase("postgres", DATABASE).getConnection();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new StackException("PostgreSQL did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
