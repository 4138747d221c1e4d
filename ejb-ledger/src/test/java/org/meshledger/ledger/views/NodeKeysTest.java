package org.meshledger.ledger.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ledger.proof.Ed25519;

/** The operators' command that creates a node's two key files and prints the network file's entry. */
class NodeKeysTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void itCreatesBothKeysAndPrintsTheirPublicHalves() throws Exception {
        Path folder = dir.resolve("servicer");

        assertEquals(0, run(folder.toString()));

        JsonNode entry = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(2, entry.size());
        Ed25519.publicKey(entry.path("signingKey").asText());
        NodeEncryptionKey.parsePublicKey(entry.path("encryptionKey").asText());
        assertEquals(NodeEncryptionKey.load(folder.resolve(NodeKeys.ENCRYPTION_FILE)).publicKeyBase64(),
                entry.path("encryptionKey").asText());
        assertTrue(Files.exists(folder.resolve(NodeKeys.SIGNING_FILE)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Created"));
    }

    @Test
    void runningItAgainKeepsTheKeys() {
        assertEquals(0, run(dir.toString()));
        String first = out.toString(StandardCharsets.UTF_8);
        out.reset();
        err.reset();

        assertEquals(0, run(dir.toString()));

        assertEquals(first, out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Kept"));
    }

    @Test
    void aWrongCommandLineOrAnUnusableFolderFails() throws Exception {
        assertEquals(2, run());
        assertEquals(2, run("a", "b"));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertEquals(1, run(file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("NodeKeys: "), err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return NodeKeys.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
