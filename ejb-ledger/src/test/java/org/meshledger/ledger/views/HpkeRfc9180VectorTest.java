package org.meshledger.ledger.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins Bouncy Castle's HPKE, and the suite {@link ViewCipher} uses, to RFC 9180 Appendix A.2.1 (mode base,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305), read verbatim from
 * {@code testdata/rfc9180/} (see its README for the source).
 */
class HpkeRfc9180VectorTest {

    private static final String VECTOR = "/testdata/rfc9180/x25519-sha256-chacha20poly1305-base.txt";
    private static final HexFormat HEX = HexFormat.of();

    static Map<String, String> setup;
    static final List<Map<String, String>> ENCRYPTIONS = new ArrayList<>();
    static final List<Map<String, String>> EXPORTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheVector() throws IOException {
        Map<String, List<Map<String, String>>> sections = parse(VECTOR);
        setup = sections.get("### Base Setup Information").get(0);
        ENCRYPTIONS.addAll(sections.get("#### Encryptions"));
        EXPORTS.addAll(sections.get("#### Exported Values"));
        assertEquals(6, ENCRYPTIONS.size(), "sequence numbers 0, 1, 2, 4, 255, 256");
        assertEquals(3, EXPORTS.size());
    }

    @Test
    void theVectorIsTheSuiteOfTheViews() {
        assertEquals(HPKE.mode_base, Integer.parseInt(setup.get("mode")));
        assertEquals(ViewCipher.KEM_ID, Integer.parseInt(setup.get("kem_id")));
        assertEquals(ViewCipher.KDF_ID, Integer.parseInt(setup.get("kdf_id")));
        assertEquals(ViewCipher.AEAD_ID, Integer.parseInt(setup.get("aead_id")));
    }

    /**
     * The vector's skXm are DeriveKeyPair's raw output, while RFC 9180 7.1.2 says SerializePrivateKey "MUST
     * clamp its output" for X25519, and Bouncy Castle does (RFC errata 7121, cfrg/draft-irtf-cfrg-hpke#255).
     * Clamping is part of every X25519 operation anyway (RFC 7748, 5), so both forms are the same key: the
     * public keys match exactly, and the private keys match once the vector's is clamped.
     */
    @Test
    void keyPairsDeriveFromTheirInputKeyingMaterial() {
        HPKE hpke = hpke();
        AsymmetricCipherKeyPair ephemeral = hpke.deriveKeyPair(bytes("ikmE"));
        assertArrayEquals(clamped(bytes("skEm")), hpke.serializePrivateKey(ephemeral.getPrivate()));
        assertArrayEquals(bytes("pkEm"), hpke.serializePublicKey(ephemeral.getPublic()));
        AsymmetricCipherKeyPair recipient = hpke.deriveKeyPair(bytes("ikmR"));
        assertArrayEquals(clamped(bytes("skRm")), hpke.serializePrivateKey(recipient.getPrivate()));
        assertArrayEquals(bytes("pkRm"), hpke.serializePublicKey(recipient.getPublic()));
        assertFalse(Arrays.equals(bytes("skEm"), clamped(bytes("skEm"))), "the vector's skEm is the unclamped form");
    }

    /** RFC 7748, decodeScalar25519. */
    private static byte[] clamped(byte[] scalar) {
        byte[] k = scalar.clone();
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
        return k;
    }

    @Test
    void theSenderGivesTheVectorsEncCiphertextsAndExports() throws Exception {
        HPKE hpke = hpke();
        AsymmetricKeyParameter recipient = hpke.deserializePublicKey(bytes("pkRm"));
        HPKEContextWithEncapsulation sender = hpke.setupBaseS(recipient, bytes("info"), ephemeral(hpke));

        assertArrayEquals(bytes("enc"), sender.getEncapsulation());
        List<byte[]> all = sealUpTo(sender, 256);
        for (Map<String, String> encryption : ENCRYPTIONS) {
            int sequence = Integer.parseInt(encryption.get("sequence number"));
            assertArrayEquals(hex(encryption.get("ct")), all.get(sequence), "ct of sequence number " + sequence);
        }
        for (Map<String, String> export : EXPORTS) {
            assertArrayEquals(hex(export.get("exported_value")),
                    sender.export(hex(export.get("exporter_context")), Integer.parseInt(export.get("L"))));
        }
    }

    @Test
    void theRecipientOpensTheVectorsCiphertextsWithSkRm() throws Exception {
        HPKE hpke = hpke();
        AsymmetricCipherKeyPair recipientKeys = hpke.deserializePrivateKey(bytes("skRm"), bytes("pkRm"));
        HPKEContext recipient = hpke.setupBaseR(bytes("enc"), recipientKeys, bytes("info"));
        // The RFC lists some sequence numbers; the others come from the sender, checked above.
        List<byte[]> all = sealUpTo(hpke.setupBaseS(hpke.deserializePublicKey(bytes("pkRm")), bytes("info"), ephemeral(hpke)), 256);
        Map<Integer, Map<String, String>> listed = new LinkedHashMap<>();
        ENCRYPTIONS.forEach(e -> listed.put(Integer.parseInt(e.get("sequence number")), e));
        for (int sequence = 0; sequence <= 256; sequence++) {
            Map<String, String> encryption = listed.get(sequence);
            byte[] ct = encryption == null ? all.get(sequence) : hex(encryption.get("ct"));
            byte[] pt = recipient.open(aad(sequence), ct);
            if (encryption != null) {
                assertArrayEquals(hex(encryption.get("pt")), pt, "pt of sequence number " + sequence);
                assertArrayEquals(hex(encryption.get("aad")), aad(sequence));
            }
        }
        for (Map<String, String> export : EXPORTS) {
            assertArrayEquals(hex(export.get("exported_value")),
                    recipient.export(hex(export.get("exporter_context")), Integer.parseInt(export.get("L"))));
        }
    }

    @Test
    void viewCipherSealsAndOpensTheVectorsFirstEncryption() throws Exception {
        Map<String, String> first = ENCRYPTIONS.get(0);
        assertEquals("0", first.get("sequence number"));
        NodeEncryptionKey key = recipientKeyFile();
        assertArrayEquals(bytes("pkRm"), NodeEncryptionKey.rawPublicKey(key.publicKey()));
        byte[] framed = ViewCipherTest.frame(bytes("enc"), hex(first.get("ct")));

        byte[] sealed = ViewCipher.seal(key.publicKey(), bytes("info"), hex(first.get("aad")), hex(first.get("pt")),
                ephemeral(hpke()));

        assertArrayEquals(framed, sealed);
        assertArrayEquals(hex(first.get("pt")), ViewCipher.open(key, bytes("info"), hex(first.get("aad")), framed));
        assertThrows(ViewOpenException.class, () -> ViewCipher.open(key, bytes("info"), aad(1), framed));
    }

    /** skRm in a PKCS#8 PEM file (RFC 8410), read the way a node reads its key. */
    private NodeEncryptionKey recipientKeyFile() throws Exception {
        byte[] pkcs8 = hex("302e020100300506032b656e04220420" + setup.get("skRm"));
        Path file = dir.resolve("vector-recipient.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n");
        NodeEncryptionKey key = NodeEncryptionKey.loadOrCreate(file);
        assertTrue(Files.exists(file));
        return key;
    }

    private static List<byte[]> sealUpTo(HPKEContext sender, int last) throws Exception {
        List<byte[]> out = new ArrayList<>();
        byte[] pt = hex(ENCRYPTIONS.get(0).get("pt"));
        for (int sequence = 0; sequence <= last; sequence++) {
            out.add(sender.seal(aad(sequence), pt));
        }
        return out;
    }

    /** The RFC's AAD for a sequence number: "Count-" and the number in ASCII. */
    private static byte[] aad(int sequence) {
        return ("Count-" + sequence).getBytes(StandardCharsets.US_ASCII);
    }

    private static AsymmetricCipherKeyPair ephemeral(HPKE hpke) {
        return hpke.deserializePrivateKey(bytes("skEm"), bytes("pkEm"));
    }

    private static HPKE hpke() {
        return new HPKE(HPKE.mode_base, ViewCipher.KEM_ID, ViewCipher.KDF_ID, ViewCipher.AEAD_ID);
    }

    private static byte[] bytes(String name) {
        String value = setup.get(name);
        if (value == null) {
            throw new AssertionError("the vector has no " + name);
        }
        return hex(value);
    }

    private static byte[] hex(String value) {
        return HEX.parseHex(value);
    }

    private static final Pattern FIELD = Pattern.compile("^([A-Za-z_ ]+):\\s*([0-9a-f]*)$");

    /**
     * The RFC's text format: per "#" heading, the records of its fenced blocks; a record is "name: hex"
     * lines, a value continuing on following lines, records separated by a blank line.
     */
    static Map<String, List<Map<String, String>>> parse(String resource) throws IOException {
        Map<String, List<Map<String, String>>> sections = new LinkedHashMap<>();
        try (InputStream in = HpkeRfc9180VectorTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the test class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String heading = null;
            boolean fenced = false;
            Map<String, String> record = new LinkedHashMap<>();
            String last = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("~~~")) {
                    fenced = !fenced;
                    last = end(sections, heading, record);
                    record = new LinkedHashMap<>();
                } else if (!fenced) {
                    if (line.startsWith("#")) {
                        heading = line.strip();
                    }
                } else if (line.isBlank()) {
                    last = end(sections, heading, record);
                    record = new LinkedHashMap<>();
                } else {
                    Matcher field = FIELD.matcher(line.strip());
                    if (field.matches()) {
                        last = field.group(1);
                        record.put(last, field.group(2));
                    } else if (last != null && line.strip().matches("[0-9a-f]+")) {
                        record.merge(last, line.strip(), String::concat);
                    } else {
                        throw new IOException(resource + ": cannot read the line '" + line + "'");
                    }
                }
            }
        }
        return sections;
    }

    private static String end(Map<String, List<Map<String, String>>> sections, String heading, Map<String, String> record) {
        if (!record.isEmpty()) {
            sections.computeIfAbsent(heading, h -> new ArrayList<>()).add(record);
        }
        return null;
    }
}
