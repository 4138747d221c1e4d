package org.meshledger.ledger.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing and opening views: what opens, and that everything else fails with the one checked exception. */
class ViewCipherTest {

    @TempDir
    static Path keys;

    static NodeEncryptionKey servicer;
    static NodeEncryptionKey securitizer;

    static final byte[] INFO = ViewInfo.of("mortgage-servicing", "batch-000042", "servicer");
    static final byte[] AAD = sha256Like("digest of the public part of batch-000042");
    static final byte[] PLAINTEXT = "{\"borrowerTaxId\":\"123-45-6789\",\"salt\":\"c2FsdHNhbHQ=\"}"
            .getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void createKeys() throws Exception {
        servicer = NodeEncryptionKey.loadOrCreate(keys.resolve("servicer.pem"));
        securitizer = NodeEncryptionKey.loadOrCreate(keys.resolve("securitizer.pem"));
    }

    @Test
    void aViewOpensForItsRecipientAndShowsNothingOnTheWay() throws Exception {
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);

        assertArrayEquals(PLAINTEXT, ViewCipher.open(servicer, INFO, AAD, sealed));
        assertEquals(ViewCipher.HEADER_LENGTH + PLAINTEXT.length + ViewCipher.TAG_LENGTH, sealed.length);
        assertFalse(contains(sealed, "123-45-6789".getBytes(StandardCharsets.UTF_8)), "the value travels sealed");
        assertEquals(ViewCipher.VERSION, sealed[0]);
    }

    @Test
    void everySealUsesAFreshEphemeralKey() throws Exception {
        byte[] first = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);
        byte[] second = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);

        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(Arrays.copyOfRange(first, 9, 41), Arrays.copyOfRange(second, 9, 41)), "enc differs");
        assertArrayEquals(PLAINTEXT, ViewCipher.open(servicer, INFO, AAD, second));
    }

    @Test
    void anotherNodeCannotOpenIt() {
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);

        ViewOpenException e = assertThrows(ViewOpenException.class, () -> ViewCipher.open(securitizer, INFO, AAD, sealed));
        assertTrue(e.getMessage().startsWith("The view does not open"), e.getMessage());
    }

    @Test
    void changingAnyByteOfTheSealedViewMakesItFail() {
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);
        for (int i = 0; i < sealed.length; i++) {
            for (int flip : new int[] {0x01, 0x80}) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= (byte) flip;
                int at = i;
                assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, INFO, AAD, tampered),
                        () -> "byte " + at + " flipped with " + flip + " still opens");
            }
        }
    }

    @Test
    void anotherContextOrPublicPartMakesItFail() {
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);

        for (byte[] otherInfo : new byte[][] {
                ViewInfo.of("mortgage-servicing", "batch-000043", "servicer"),
                ViewInfo.of("mortgage-servicing", "batch-000042", "securitizer"),
                ViewInfo.of("another-network", "batch-000042", "servicer"),
                new byte[0]}) {
            assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, otherInfo, AAD, sealed));
        }
        byte[] otherAad = AAD.clone();
        otherAad[otherAad.length - 1] ^= 1;
        assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, INFO, otherAad, sealed));
        assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, INFO, new byte[0], sealed));
    }

    @Test
    void theInfoEncodingIsUnambiguous() {
        assertFalse(Arrays.equals(ViewInfo.of("n", "ab", "c"), ViewInfo.of("n", "a", "bc")));
        assertFalse(Arrays.equals(ViewInfo.of("n", "b", "r"), ViewInfo.of("n", "r", "b")));
        assertArrayEquals(ViewInfo.of("n", "b", "r"), ViewInfo.of("n", "b", "r"));
        assertThrows(IllegalArgumentException.class, () -> ViewInfo.of("n", "", "r"));
        assertThrows(IllegalArgumentException.class, () -> ViewInfo.of("n", "b", "x".repeat(65536)));
    }

    @Test
    void truncatedOrExtendedViewsFail() {
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);
        for (int length = 0; length < sealed.length; length++) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, INFO, AAD, truncated),
                    () -> "a view cut to " + truncated.length + " bytes");
        }
        byte[] extended = Arrays.copyOf(sealed, sealed.length + 1);
        ViewOpenException e = assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, INFO, AAD, extended));
        assertTrue(e.getMessage().contains("follow"), e.getMessage());
    }

    @Test
    void garbageFailsWithTheCheckedExceptionOnly() {
        Random random = new Random(9180);
        for (int length : new int[] {0, 1, 7, 44, 45, 60, 61, 62, 100, 1000, 70_000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            assertOnlyTheCheckedException(garbage);
            // The same garbage behind a well-formed header reaches the KEM and the AEAD.
            if (length >= ViewCipher.TAG_LENGTH) {
                assertOnlyTheCheckedException(frame(Arrays.copyOf(garbage, 32), garbage));
            }
        }
        // Header fields out of range: lengths larger than the input, another version, another suite.
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, PLAINTEXT);
        assertOnlyTheCheckedException(ByteBuffer.wrap(sealed.clone()).putInt(41, Integer.MAX_VALUE).array());
        assertOnlyTheCheckedException(ByteBuffer.wrap(sealed.clone()).putInt(41, -1).array());
        assertOnlyTheCheckedException(ByteBuffer.wrap(sealed.clone()).putShort(7, (short) 0xFFFF).array());
        assertOnlyTheCheckedException(ByteBuffer.wrap(sealed.clone()).putShort(5, (short) 0x0002).array());
        assertOnlyTheCheckedException(ByteBuffer.wrap(sealed.clone()).put(0, (byte) 2).array());
    }

    @Test
    void anEncapsulatedKeyOfLowOrderFailsWithTheCheckedException() {
        // u = 0 and u = 1 are X25519 points of small order: the shared secret is all zeros, which HPKE refuses.
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        byte[] ciphertext = new byte[PLAINTEXT.length + ViewCipher.TAG_LENGTH];
        ViewOpenException e = assertThrows(ViewOpenException.class,
                () -> ViewCipher.open(servicer, INFO, AAD, frame(zero, ciphertext)));
        assertTrue(e.getMessage().startsWith("The view does not open"), e.getMessage());
        assertThrows(ViewOpenException.class, () -> ViewCipher.open(servicer, INFO, AAD, frame(one, ciphertext)));
    }

    @Test
    void anEmptyViewWorks() throws Exception {
        byte[] sealed = ViewCipher.seal(servicer.publicKey(), INFO, AAD, new byte[0]);

        assertEquals(ViewCipher.HEADER_LENGTH + ViewCipher.TAG_LENGTH, sealed.length);
        assertArrayEquals(new byte[0], ViewCipher.open(servicer, INFO, AAD, sealed));
        assertThrows(ViewOpenException.class, () -> ViewCipher.open(securitizer, INFO, AAD, sealed));
    }

    @Test
    void aLargeViewWorks() throws Exception {
        byte[] large = new byte[1 << 20];
        new Random(1).nextBytes(large);

        byte[] sealed = ViewCipher.seal(securitizer.publicKey(), INFO, AAD, large);

        assertArrayEquals(large, ViewCipher.open(securitizer, INFO, AAD, sealed));
        sealed[sealed.length / 2] ^= 1;
        assertThrows(ViewOpenException.class, () -> ViewCipher.open(securitizer, INFO, AAD, sealed));
    }

    @Test
    void aViewIsSealedToX25519KeysOnly() throws Exception {
        PublicKey signingKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ViewCipher.seal(signingKey, INFO, AAD, PLAINTEXT));
        assertTrue(e.getMessage().contains("Ed25519"), e.getMessage());

        PublicKey lowOrder = KeyFactory.getInstance("X25519")
                .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ViewCipher.seal(lowOrder, INFO, AAD, PLAINTEXT));
    }

    private static void assertOnlyTheCheckedException(byte[] input) {
        try {
            ViewCipher.open(servicer, INFO, AAD, input);
            fail("garbage of " + input.length + " bytes opened");
        } catch (ViewOpenException expected) {
            assertFalse(expected.getMessage().isBlank());
        } catch (RuntimeException e) {
            fail("garbage of " + input.length + " bytes crashed open with " + e, e);
        }
    }

    /** A view in the documented layout around the given enc and ciphertext. */
    static byte[] frame(byte[] enc, byte[] ciphertext) {
        return ByteBuffer.allocate(ViewCipher.HEADER_LENGTH + ciphertext.length)
                .put((byte) 1).putShort((short) 0x0020).putShort((short) 0x0001).putShort((short) 0x0003)
                .putShort((short) enc.length).put(enc).putInt(ciphertext.length).put(ciphertext).array();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256Like(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
