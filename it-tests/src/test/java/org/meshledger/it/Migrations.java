package org.meshledger.it;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;

import org.meshledger.persistence.migration.SchemaMigrations;

/** The migrations the build packaged, counted from the persistence jar itself. */
final class Migrations {

    private Migrations() {
    }

    static int packaged() {
        try {
            Path jar = Path.of(SchemaMigrations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!jar.toString().endsWith(".jar")) {
                try (var files = java.nio.file.Files.list(jar.resolve("db/migration"))) {
                    return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
                }
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                return (int) file.stream().filter(e -> e.getName().matches("db/migration/V\\d+__.*\\.sql")).count();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot count the packaged migrations: " + e.getMessage(), e);
        }
    }
}
