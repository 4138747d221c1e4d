package org.meshledger.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks Keycloak's distribution zip once into a home folder. */
final class KeycloakDistribution {

    private static final String MARKER = ".meshledger-unpacked";

    private KeycloakDistribution() {
    }

    static void unpack(Path zip, Path home) throws IOException {
        Path marker = home.resolve(MARKER);
        if (Files.exists(marker)) {
            return;
        }
        if (zip == null || !Files.isRegularFile(zip)) {
            throw new StackException("Keycloak's distribution was not found at " + zip
                    + ": build with Maven (it downloads org.keycloak:keycloak-quarkus-dist)");
        }
        Files.createDirectories(home);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                // Entries sit under one top folder (keycloak-<version>/); the home replaces it.
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path target = home.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(home)) {
                    throw new StackException("Refusing a zip entry outside the target folder: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                    if (target.toString().endsWith(".sh")) {
                        target.toFile().setExecutable(true);
                    }
                }
            }
        }
        Files.writeString(marker, zip.getFileName().toString());
    }
}
