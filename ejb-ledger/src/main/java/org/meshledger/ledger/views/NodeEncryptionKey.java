package org.meshledger.ledger.views;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.logging.Logger;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * The node's X25519 key, to which other nodes seal the views it may read. Like the signing key
 * ({@link org.meshledger.ledger.proof.NodeSigningKey}) it lives in a PKCS#8 PEM file outside the
 * database, created on the node's first start and readable by its owner only. Its public half, base64
 * of an X.509 SubjectPublicKeyInfo, is what the network file carries as the node's {@code encryptionKey}.
 *
 * <p>Immutable and thread-safe. Loading fails with a {@link GeneralSecurityException} that names the file
 * when it does not hold an X25519 private key (an Ed25519 signing key, for instance), and with an
 * {@link IOException} when the file cannot be read or written.
 */
public final class NodeEncryptionKey {

    private static final Logger LOG = Logger.getLogger(NodeEncryptionKey.class.getName());
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    // RFC 8410 algorithm identifiers.
    private static final ASN1ObjectIdentifier X25519 = new ASN1ObjectIdentifier("1.3.101.110");
    private static final ASN1ObjectIdentifier X448 = new ASN1ObjectIdentifier("1.3.101.111");
    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    private static final ASN1ObjectIdentifier ED448 = new ASN1ObjectIdentifier("1.3.101.113");

    private final X25519PrivateKeyParameters privateKey;
    private final X25519PublicKeyParameters publicKey;
    private final PublicKey jdkPublicKey;

    private NodeEncryptionKey(X25519PrivateKeyParameters privateKey) throws GeneralSecurityException {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey();
        this.jdkPublicKey = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(spki(publicKey)));
    }

    /** Reads the key from the file, or creates the file, readable by its owner only, with a new key. */
    public static NodeEncryptionKey loadOrCreate(Path file) throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        NodeEncryptionKey key = new NodeEncryptionKey(rawPrivate((XECPrivateKey) pair.getPrivate(), file));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n" + END + "\n";
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        try {
            // Owner-only from the moment the file exists, not after the key is in it.
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temporary); // Windows: the directory's ACLs apply.
        }
        try {
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            Files.move(temporary, file);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(temporary);
            return load(file);
        } finally {
            Files.deleteIfExists(temporary);
        }
        LOG.info(() -> "Created the node's X25519 encryption key in " + file + "; its public key (the network file's "
                + "encryptionKey): " + key.publicKeyBase64());
        return key;
    }

    /** Reads the key from an existing PKCS#8 PEM file. */
    public static NodeEncryptionKey load(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(file + " is not a PKCS#8 PEM private key");
        }
        PrivateKey privateKey;
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
            privateKey = KeyFactory.getInstance("XDH").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | InvalidKeySpecException e) {
            throw new GeneralSecurityException(file + " does not hold an X25519 private key (PKCS#8); is it the "
                    + "signing key?");
        }
        if (!(privateKey instanceof XECPrivateKey xec) || !(xec.getParams() instanceof NamedParameterSpec named)
                || !NamedParameterSpec.X25519.getName().equalsIgnoreCase(named.getName())) {
            throw new GeneralSecurityException(file + " does not hold an X25519 private key");
        }
        return new NodeEncryptionKey(rawPrivate(xec, file));
    }

    /**
     * Reads a node's public encryption key as the network file carries it: base64 of an X.509
     * SubjectPublicKeyInfo for X25519 (OID 1.3.101.110) in DER.
     *
     * @throws GeneralSecurityException with a message saying what the text is instead (not base64, not a
     *     public key, an Ed25519 or other key)
     */
    public static PublicKey parsePublicKey(String base64) throws GeneralSecurityException {
        if (base64 == null || base64.isBlank()) {
            throw new GeneralSecurityException("An encryptionKey is missing (expected an X25519 public key: base64 of "
                    + "an X.509 SubjectPublicKeyInfo)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("The encryptionKey is not base64 (expected an X25519 public key: base64 "
                    + "of an X.509 SubjectPublicKeyInfo)");
        }
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new GeneralSecurityException("The encryptionKey is not an X.509 SubjectPublicKeyInfo (expected an "
                    + "X25519 public key)");
        }
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (!X25519.equals(algorithm)) {
            throw new GeneralSecurityException("The encryptionKey is " + describe(algorithm)
                    + ", not an X25519 public key (OID 1.3.101.110)");
        }
        byte[] raw = info.getPublicKeyData().getOctets();
        if (info.getAlgorithm().getParameters() != null || raw.length != X25519PublicKeyParameters.KEY_SIZE) {
            throw new GeneralSecurityException("The encryptionKey is a malformed X25519 public key (RFC 8410: no "
                    + "parameters, 32 bytes of key)");
        }
        try {
            if (!Arrays.equals(info.getEncoded(ASN1Encoding.DER), der)) {
                throw new GeneralSecurityException("The encryptionKey is not in DER form");
            }
            return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (IOException e) {
            throw new GeneralSecurityException("The encryptionKey cannot be re-encoded", e);
        }
    }

    /** The public key, as {@link #parsePublicKey} returns it for other nodes. */
    public PublicKey publicKey() {
        return jdkPublicKey;
    }

    /** The public key as networks exchange it: base64 of its X.509 SubjectPublicKeyInfo. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(jdkPublicKey.getEncoded());
    }

    /** The key pair in Bouncy Castle's form, for HPKE's Decap (which needs the public half too). */
    AsymmetricCipherKeyPair keyPair() {
        return new AsymmetricCipherKeyPair(publicKey, privateKey);
    }

    /** The raw 32-byte X25519 public key (RFC 7748). */
    static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || !"X.509".equals(key.getFormat())) {
            throw new IllegalArgumentException("A view is sealed to an X25519 public key with an X.509 encoding");
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
        if (!X25519.equals(info.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("A view is sealed to an X25519 public key, not to "
                    + describe(info.getAlgorithm().getAlgorithm()));
        }
        return info.getPublicKeyData().getOctets();
    }

    private static X25519PrivateKeyParameters rawPrivate(XECPrivateKey key, Path file) throws GeneralSecurityException {
        byte[] scalar = key.getScalar().orElseThrow(() -> new GeneralSecurityException(file + ": the private key hides "
                + "its bytes"));
        if (scalar.length != X25519PrivateKeyParameters.KEY_SIZE) {
            throw new GeneralSecurityException(file + " does not hold an X25519 private key of 32 bytes");
        }
        X25519PrivateKeyParameters parameters = new X25519PrivateKeyParameters(scalar);
        Arrays.fill(scalar, (byte) 0);
        return parameters;
    }

    private static byte[] spki(X25519PublicKeyParameters key) throws GeneralSecurityException {
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X25519),
                    key.getEncoded()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new GeneralSecurityException("Cannot encode the X25519 public key", e);
        }
    }

    private static String describe(ASN1ObjectIdentifier algorithm) {
        if (ED25519.equals(algorithm)) {
            return "an Ed25519 key (a signingKey?)";
        }
        if (X448.equals(algorithm)) {
            return "an X448 key";
        }
        if (ED448.equals(algorithm)) {
            return "an Ed448 key";
        }
        return "a key of algorithm " + algorithm.getId();
    }
}
