package org.meshledger.ledger.views;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Objects;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * Seals a view to one recipient node and opens a view sealed to this node: HPKE (RFC 9180) in base mode
 * with the suite DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, single-shot (one message
 * per encapsulation, sequence number 0), from Bouncy Castle's lightweight API.
 *
 * <p><b>Why ChaCha20-Poly1305 rather than AES-256-GCM.</b> Bouncy Castle's lightweight AES is pure Java
 * with lookup tables (no AES-NI: the JDK's intrinsics serve only its own provider), and its GCM hashes
 * with tables too, so on a shared host both are exposed to cache-timing attacks; ChaCha20-Poly1305 is
 * add-rotate-xor and constant-time in pure Java. Both have 256-bit keys; {@code bcprov} is not a
 * FIPS-validated module, so AES would buy no compliance; and this suite's test vector is printed in RFC
 * 9180 itself (A.2.1). The cost of a view is X25519's either way.
 *
 * <p><b>Binding.</b> {@code info} binds the context: the caller passes {@link ViewInfo#of} of the network,
 * the batch and the recipient node. {@code aad} binds the public part the view belongs to: the caller
 * passes its digest. The recipient's public key is bound by the KEM itself. A view opens only with the
 * same three, so it cannot be replayed into another batch or to another node.
 *
 * <p><b>Sealed layout</b> (version 1; integers big-endian):
 * <pre>
 *   offset  size  field
 *   0       1     version, 0x01
 *   1       2     kem_id  0x0020  DHKEM(X25519, HKDF-SHA256)
 *   3       2     kdf_id  0x0001  HKDF-SHA256
 *   5       2     aead_id 0x0003  ChaCha20-Poly1305
 *   7       2     encLength, 32
 *   9       32    enc: the ephemeral X25519 public key
 *   41      4     ctLength, plaintext length + 16
 *   45      ct    the AEAD ciphertext with its 16-byte tag
 * </pre>
 * Opening checks every field before it uses it: the version and the suite must be these; each length
 * must fit in what remains, and nothing may follow the ciphertext.
 *
 * <p><b>Threads and failures.</b> Stateless and thread-safe (each call builds its own HPKE instance:
 * Bouncy Castle's is not safe to share). {@link #open} fails with {@link ViewOpenException} and nothing
 * else for whatever bytes it is given; {@code null} arguments are programming errors
 * ({@link NullPointerException}). {@link #seal} fails only on a recipient key that is not X25519 or is a
 * low-order point ({@link IllegalArgumentException}).
 */
public final class ViewCipher {

    /** Version of the sealed layout. */
    public static final byte VERSION = 1;
    /** HPKE KEM id: DHKEM(X25519, HKDF-SHA256). */
    public static final short KEM_ID = HPKE.kem_X25519_SHA256;
    /** HPKE KDF id: HKDF-SHA256. */
    public static final short KDF_ID = HPKE.kdf_HKDF_SHA256;
    /** HPKE AEAD id: ChaCha20-Poly1305. */
    public static final short AEAD_ID = HPKE.aead_CHACHA20_POLY1305;

    static final int ENC_LENGTH = X25519PublicKeyParameters.KEY_SIZE;
    static final int TAG_LENGTH = 16;
    static final int HEADER_LENGTH = 1 + 2 + 2 + 2 + 2 + ENC_LENGTH + 4;

    private ViewCipher() {
    }

    /**
     * Seals {@code plaintext} to the node whose X25519 public key is {@code recipient}.
     *
     * @param recipient the recipient's encryption key ({@link NodeEncryptionKey#parsePublicKey})
     * @param info the context ({@link ViewInfo#of}: network, batch, recipient node)
     * @param aad the digest of the public part the view belongs to
     * @return the sealed view in the layout above, 61 bytes longer than the plaintext (45 of header, 16 of tag)
     */
    public static byte[] seal(PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext) {
        return seal(recipient, info, aad, plaintext, null);
    }

    /** As {@link #seal(PublicKey, byte[], byte[], byte[])}, with a given ephemeral key pair: for the RFC 9180 test vectors only. */
    static byte[] seal(PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext, AsymmetricCipherKeyPair ephemeral) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(plaintext, "plaintext");
        if (plaintext.length > Integer.MAX_VALUE - HEADER_LENGTH - TAG_LENGTH) {
            throw new IllegalArgumentException("A view of " + plaintext.length + " bytes is too large to seal");
        }
        X25519PublicKeyParameters recipientKey = new X25519PublicKeyParameters(NodeEncryptionKey.rawPublicKey(recipient));
        HPKE hpke = hpke();
        HPKEContextWithEncapsulation context;
        byte[] ciphertext;
        try {
            context = ephemeral == null ? hpke.setupBaseS(recipientKey, info) : hpke.setupBaseS(recipientKey, info, ephemeral);
            ciphertext = context.seal(aad, plaintext);
        } catch (InvalidCipherTextException | IllegalStateException e) {
            // X25519 with a low-order point gives the all-zero secret, which HPKE refuses (RFC 9180, 7.1.4).
            throw new IllegalArgumentException("Cannot seal a view to this recipient key (an X25519 low-order point?)");
        }
        byte[] enc = context.getEncapsulation();
        return ByteBuffer.allocate(HEADER_LENGTH + ciphertext.length)
                .put(VERSION).putShort(KEM_ID).putShort(KDF_ID).putShort(AEAD_ID)
                .putShort((short) enc.length).put(enc)
                .putInt(ciphertext.length).put(ciphertext)
                .array();
    }

    /**
     * Opens a view sealed to this node.
     *
     * @param key this node's encryption key
     * @param info the context the view must have been sealed for ({@link ViewInfo#of})
     * @param aad the digest of the public part the view must belong to
     * @param sealed the sealed view, in the layout above
     * @return the plaintext
     * @throws ViewOpenException if the bytes are not a sealed view of this version and suite, or the view was
     *     not sealed to this key for this info and aad, or was changed since
     */
    public static byte[] open(NodeEncryptionKey key, byte[] info, byte[] aad, byte[] sealed) throws ViewOpenException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(sealed, "sealed");
        ByteBuffer in = ByteBuffer.wrap(sealed);
        if (in.remaining() < HEADER_LENGTH + TAG_LENGTH) {
            throw new ViewOpenException("Not a sealed view: " + sealed.length + " bytes, fewer than the "
                    + (HEADER_LENGTH + TAG_LENGTH) + " of an empty one");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new ViewOpenException("Not a sealed view of version " + VERSION + " (version byte " + (version & 0xFF) + ")");
        }
        short kem = in.getShort();
        short kdf = in.getShort();
        short aead = in.getShort();
        if (kem != KEM_ID || kdf != KDF_ID || aead != AEAD_ID) {
            throw new ViewOpenException(String.format("A view sealed with another HPKE suite (kem 0x%04x, kdf 0x%04x, "
                    + "aead 0x%04x); this node opens kem 0x%04x, kdf 0x%04x, aead 0x%04x only", kem, kdf, aead,
                    KEM_ID, KDF_ID, AEAD_ID));
        }
        int encLength = Short.toUnsignedInt(in.getShort());
        if (encLength != ENC_LENGTH) {
            throw new ViewOpenException("Not a sealed view: its encapsulated key has " + encLength + " bytes, not "
                    + ENC_LENGTH);
        }
        byte[] enc = new byte[ENC_LENGTH];
        in.get(enc);
        long ctLength = Integer.toUnsignedLong(in.getInt());
        if (ctLength != in.remaining()) {
            throw new ViewOpenException("Not a sealed view: it declares " + ctLength + " bytes of ciphertext, "
                    + in.remaining() + " follow");
        }
        if (ctLength < TAG_LENGTH) {
            throw new ViewOpenException("Not a sealed view: " + ctLength + " bytes of ciphertext, fewer than its tag's "
                    + TAG_LENGTH);
        }
        try {
            HPKEContext context = hpke().setupBaseR(enc, key.keyPair(), info);
            return context.open(aad, sealed, in.position(), in.remaining());
        } catch (InvalidCipherTextException | RuntimeException e) {
            // Tag mismatch, or an encapsulated key that is a low-order point (X25519 agreement failed).
            throw new ViewOpenException("The view does not open: it was not sealed to this node's key for this "
                    + "context (info) and public part (aad), or it was changed since");
        }
    }

    private static HPKE hpke() {
        return new HPKE(HPKE.mode_base, KEM_ID, KDF_ID, AEAD_ID);
    }
}
