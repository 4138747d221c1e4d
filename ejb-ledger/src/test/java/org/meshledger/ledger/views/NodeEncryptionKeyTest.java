package org.meshledger.ledger.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

import javax.crypto.KeyAgreement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ledger.proof.NodeSigningKey;

/** The node's X25519 key file, and the public keys the network file carries. */
class NodeEncryptionKeyTest {

    @TempDir
    Path dir;

    @Test
    void theKeyIsCreatedOnceReadableByItsOwnerOnlyAndReadBack() throws Exception {
        Path file = dir.resolve("keys/node-encryption-key.pem");

        NodeEncryptionKey created = NodeEncryptionKey.loadOrCreate(file);
        NodeEncryptionKey again = NodeEncryptionKey.loadOrCreate(file);

        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals(created.publicKeyBase64(), again.publicKeyBase64());
        assertEquals(created.publicKey(), again.publicKey());
        assertFalse(Files.exists(dir.resolve("keys/node-encryption-key.pem.new")), "no temporary file is left");
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void twoNodesHaveTwoKeys() throws Exception {
        NodeEncryptionKey a = NodeEncryptionKey.loadOrCreate(dir.resolve("a.pem"));
        NodeEncryptionKey b = NodeEncryptionKey.loadOrCreate(dir.resolve("b.pem"));

        assertNotEquals(a.publicKeyBase64(), b.publicKeyBase64());
    }

    @Test
    void thePublicKeyIsAStandardX25519SubjectPublicKeyInfo() throws Exception {
        NodeEncryptionKey key = NodeEncryptionKey.loadOrCreate(dir.resolve("node.pem"));
        byte[] der = Base64.getDecoder().decode(key.publicKeyBase64());

        assertEquals(44, der.length);
        assertEquals("302a300506032b656e032100", java.util.HexFormat.of().formatHex(der, 0, 12), "RFC 8410 prefix");
        assertEquals("X25519", key.publicKey().getAlgorithm().replace("XDH", "X25519"));
        assertEquals(key.publicKey(), NodeEncryptionKey.parsePublicKey(key.publicKeyBase64()));
        // The JDK's own X25519 agrees with the key's public half: the file and the key are the standard ones.
        var other = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(other.getPrivate());
        agreement.doPhase(NodeEncryptionKey.parsePublicKey(key.publicKeyBase64()), true);
        assertEquals(32, agreement.generateSecret().length);
    }

    @Test
    void aFileHoldingTheSigningKeyIsRefused() throws Exception {
        Path file = dir.resolve("node-signing-key.pem");
        NodeSigningKey.loadOrCreate(file);

        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> NodeEncryptionKey.loadOrCreate(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("X25519"), e.getMessage());
    }

    @Test
    void aFileHoldingAnX448KeyOrNoKeyIsRefused() throws Exception {
        Path x448 = dir.resolve("x448.pem");
        Files.writeString(x448, "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("X448").generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Path text = dir.resolve("text.pem");
        Files.writeString(text, "not a key\n");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA!!\n-----END PRIVATE KEY-----\n");

        assertThrows(GeneralSecurityException.class, () -> NodeEncryptionKey.load(x448));
        assertThrows(GeneralSecurityException.class, () -> NodeEncryptionKey.load(text));
        assertThrows(GeneralSecurityException.class, () -> NodeEncryptionKey.load(garbage));
    }

    @Test
    void theParserRefusesAnythingButAnX25519PublicKey() throws Exception {
        NodeSigningKey signing = NodeSigningKey.loadOrCreate(dir.resolve("signing.pem"));
        String x448 = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("X448").generateKeyPair().getPublic().getEncoded());
        String x25519 = NodeEncryptionKey.loadOrCreate(dir.resolve("node.pem")).publicKeyBase64();
        byte[] der = Base64.getDecoder().decode(x25519);

        assertRefused(signing.publicKeyBase64(), "Ed25519");
        assertRefused(x448, "X448");
        assertRefused("not base64!", "not base64");
        assertRefused("", "missing");
        assertRefused(null, "missing");
        assertRefused(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(der, 40)), "SubjectPublicKeyInfo");
        assertRefused(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(der, 45)), "SubjectPublicKeyInfo");
        assertRefused(Base64.getEncoder().encodeToString(new byte[32]), "SubjectPublicKeyInfo");
        assertArrayEquals(der, NodeEncryptionKey.parsePublicKey(" " + x25519 + "\n").getEncoded());
    }

    private static void assertRefused(String base64, String because) {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> NodeEncryptionKey.parsePublicKey(base64));
        assertTrue(e.getMessage().contains(because), "'" + e.getMessage() + "' should say " + because);
    }
}
