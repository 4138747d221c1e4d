package org.meshledger.ledger.proof;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The standalone verifier: checks an inclusion or consistency proof offline, with nothing but a Java
 * runtime and this jar (it uses only the JDK):
 *
 * <pre>java -cp ejb-ledger.jar org.meshledger.ledger.proof.ProofVerifier proof.json [--key BASE64]</pre>
 *
 * With {@code --key}, the digest must be signed by that key (the node's key, as the party recorded it).
 * Without, the proof is checked against the key it names, and the verdict says that nothing vouches
 * for that key: anyone can sign a made-up ledger with a key of their own. A consistency proof's two
 * digests must be signed by one key. Exit codes: 0 the proof holds and is signed by the trusted key;
 * 1 it does not hold; 2 the input cannot be read; 3 it holds, but is signed by a key nobody said to
 * trust (pass {@code --key}).
 */
public final class ProofVerifier {

    /**
     * What a check concluded.
     *
     * @param valid the proof holds, its digests signed by the key they name (or the trusted one)
     * @param trusted that key is the one the caller said to trust
     */
    public record Verdict(boolean valid, boolean trusted, String message) {

        Verdict(boolean valid, String message) {
            this(valid, false, message);
        }
    }

    private ProofVerifier() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--key"))) {
            System.err.println("usage: java -cp ejb-ledger.jar " + ProofVerifier.class.getName()
                    + " proof.json [--key BASE64_ED25519_PUBLIC_KEY]");
            System.exit(2);
        }
        String json;
        try {
            json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            System.err.println("Cannot read " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Verdict verdict = verify(json, args.length == 3 ? args[2] : null);
        if (!verdict.valid()) {
            System.out.println("INVALID: " + verdict.message());
            System.exit(1);
        } else if (!verdict.trusted()) {
            System.out.println("UNTRUSTED: " + verdict.message());
            System.exit(3);
        }
        System.out.println("VALID: " + verdict.message());
        System.exit(0);
    }

    /**
     * @param trustedKey the base64 Ed25519 key that must have signed the digest, or null to accept
     *        the key the proof names
     */
    public static Verdict verify(String proofJson, String trustedKey) {
        try {
            Map<String, Object> proof = object(MiniJson.parse(proofJson), "proof");
            String format = text(proof, "format");
            return switch (format) {
                case InclusionProof.FORMAT -> inclusion(proof, trustedKey);
                case ConsistencyProof.FORMAT -> consistency(proof, trustedKey);
                default -> new Verdict(false, "unknown proof format '" + format + "'");
            };
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            return new Verdict(false, "malformed proof: " + e.getMessage());
        }
    }

    private static Verdict inclusion(Map<String, Object> proof, String trustedKey) {
        Map<String, Object> record = object(proof.get("record"), "record");
        Map<String, Object> tx = object(proof.get("transaction"), "transaction");
        Map<String, Object> block = object(proof.get("block"), "block");
        Map<String, Object> digest = object(proof.get("digest"), "digest");

        // 1. The record version is what its hash says.
        byte[] recordHash = leafHashOf(record);
        if (recordHash == null) {
            return new Verdict(false, "the record version's content does not match its hash");
        }
        Map<String, Object> version = object(MiniJson.parse(text(record, "canonical")), "record content");
        // 2. Each disclosed field is the one whose salted hash the version holds.
        Map<String, Object> fieldHashes = object(version.get("fields"), "record fields");
        Map<String, Object> disclosed = proof.get("disclosed") == null ? Map.of()
                : object(proof.get("disclosed"), "disclosed");
        for (Map.Entry<String, Object> field : disclosed.entrySet()) {
            String canonical = (String) field.getValue();
            Map<String, Object> commitment = object(MiniJson.parse(canonical), "disclosed field " + field.getKey());
            byte[] fieldHash = MerkleTree.leafHash(canonical.getBytes(StandardCharsets.UTF_8));
            if (!field.getKey().equals(commitment.get("name")) || !(fieldHashes.get(field.getKey()) instanceof String h)
                    || !java.util.Arrays.equals(fieldHash, decode(h))) {
                return new Verdict(false, "the disclosed field '" + field.getKey()
                        + "' is not the one the record version's hash covers");
            }
        }
        // 3. Its transaction lists exactly that version.
        byte[] txHash = leafHashOf(tx);
        if (txHash == null) {
            return new Verdict(false, "the transaction's content does not match its hash");
        }
        Map<String, Object> txContent = object(MiniJson.parse(text(tx, "canonical")), "transaction content");
        if (!list(txContent.get("versions")).contains(text(record, "hash"))) {
            return new Verdict(false, "the transaction does not list this record version");
        }
        // 4. The transaction is in its block.
        byte[] blockHash = leafHashOf(block);
        if (blockHash == null) {
            return new Verdict(false, "the block header does not match its hash");
        }
        Map<String, Object> header = object(MiniJson.parse(text(block, "canonical")), "block header");
        long txCount = number(header, "txCount");
        if (number(tx, "treeSize") != txCount || !MerkleTree.verifyInclusion(number(tx, "index"), txCount, txHash,
                hashes(tx.get("path")), decode(text(header, "merkleRoot")))) {
            return new Verdict(false, "the transaction is not in the block's Merkle tree");
        }
        // 5. The block is in the ledger the digest vouches for.
        long height = number(header, "height");
        long digestHeight = number(digest, "height");
        if (number(block, "index") != height - 1 || number(block, "treeSize") != digestHeight
                || !MerkleTree.verifyInclusion(height - 1, digestHeight, blockHash, hashes(block.get("path")),
                        decode(text(digest, "root")))) {
            return new Verdict(false, "the block is not in the ledger tree of the digest");
        }
        // 6. The digest is signed.
        Verdict signed = checkSignature(digest, trustedKey);
        if (!signed.valid()) {
            return signed;
        }
        List<String> withheld = fieldHashes.keySet().stream().filter(f -> !disclosed.containsKey(f)).sorted().toList();
        return new Verdict(true, signed.trusted(), version.get("type") + "/" + version.get("id") + " version " + version.get("version")
                + " is in block " + height + " of the ledger '" + digest.get("network") + "' at height " + digestHeight
                + ", root " + digest.get("root") + "; fields disclosed: " + String.join(", ", new java.util.TreeSet<>(
                        disclosed.keySet())) + (withheld.isEmpty() ? "" : "; withheld (salted hashes only): "
                        + String.join(", ", withheld)) + "; " + signed.message());
    }

    private static Verdict consistency(Map<String, Object> proof, String trustedKey) {
        Map<String, Object> from = object(proof.get("from"), "from");
        Map<String, Object> to = object(proof.get("to"), "to");
        if (!Objects.equals(from.get("network"), to.get("network"))) {
            return new Verdict(false, "the digests are of different networks");
        }
        if (!Objects.equals(from.get("publicKey"), to.get("publicKey"))) {
            return new Verdict(false, "the two digests are signed by different keys");
        }
        if (!MerkleTree.verifyConsistency(number(from, "height"), number(to, "height"), decode(text(from, "root")),
                decode(text(to, "root")), hashes(proof.get("path")))) {
            return new Verdict(false, "the ledger at height " + from.get("height") + " is not a prefix of the ledger at "
                    + to.get("height"));
        }
        Verdict first = checkSignature(from, trustedKey);
        if (!first.valid()) {
            return first;
        }
        Verdict second = checkSignature(to, trustedKey);
        if (!second.valid()) {
            return second;
        }
        return new Verdict(true, second.trusted(), "the ledger at height " + from.get("height") + " is a prefix of the ledger at height "
                + to.get("height") + "; " + second.message());
    }

    private static Verdict checkSignature(Map<String, Object> digest, String trustedKey) {
        String keyText = trustedKey != null ? trustedKey : text(digest, "publicKey");
        if (trustedKey != null && !trustedKey.equals(digest.get("publicKey"))) {
            return new Verdict(false, "the digest names another signing key than the trusted one");
        }
        PublicKey key;
        try {
            key = Ed25519.publicKey(keyText);
        } catch (GeneralSecurityException e) {
            return new Verdict(false, "the signing key is not an Ed25519 public key");
        }
        byte[] signed = LedgerProofsContent.digest(text(digest, "network"), number(digest, "height"),
                text(digest, "root"), text(digest, "time"));
        if (!Ed25519.verify(key, signed, decode(text(digest, "signature")))) {
            return new Verdict(false, "the digest's signature does not verify");
        }
        return new Verdict(true, trustedKey != null, "digest signed by " + (trustedKey != null ? "the trusted key"
                : "the key it names, " + keyText + ", which nothing vouches for (pass --key with the node's key as "
                        + "your party recorded it)"));
    }

    /** The leaf hash of a part's canonical content, or null if it is not the hash the part states. */
    private static byte[] leafHashOf(Map<String, Object> part) {
        byte[] hash = MerkleTree.leafHash(text(part, "canonical").getBytes(StandardCharsets.UTF_8));
        return java.util.Arrays.equals(hash, decode(text(part, "hash"))) ? hash : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("expected a JSON array");
        }
        return (List<Object>) value;
    }

    private static String text(Map<String, Object> map, String field) {
        Object value = map.get(field);
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return s;
    }

    private static long number(Map<String, Object> map, String field) {
        Object value = map.get(field);
        if (!(value instanceof Long n)) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return n;
    }

    private static List<byte[]> hashes(Object value) {
        List<byte[]> hashes = new ArrayList<>();
        for (Object h : list(value)) {
            hashes.add(decode((String) h));
        }
        return hashes;
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
