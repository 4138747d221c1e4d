package org.meshledger.ledger.views;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import org.meshledger.ledger.proof.NodeSigningKey;

/**
 * For operators: creates a node's two key files in a folder, {@code node-signing-key.pem} (Ed25519, signs the
 * node's digests) and {@code node-encryption-key.pem} (X25519, opens the views sealed to the node), each readable
 * by its owner only, and prints the public halves in the form the network file's entry for the node takes:
 * <pre>{"signingKey": "...", "encryptionKey": "..."}</pre>
 * A key file that exists already is kept and read, never replaced, so running it again prints the same
 * entry. The JSON goes to standard output, what was done to standard error.
 *
 * <pre>java -cp ejb-ledger.jar:bcprov-jdk18on.jar org.meshledger.ledger.views.NodeKeys &lt;folder&gt;</pre>
 * Exit status 0 on success, 1 if a file cannot be read or written or holds another kind of key, 2 on a
 * wrong command line.
 */
public final class NodeKeys {

    public static final String SIGNING_FILE = "node-signing-key.pem";
    public static final String ENCRYPTION_FILE = "node-encryption-key.pem";

    /** A node's two keys. */
    public record Pair(NodeSigningKey signing, NodeEncryptionKey encryption) {
    }

    private NodeKeys() {
    }

    /** Creates (or reads) the two key files of a node in {@code folder}. */
    public static Pair create(Path folder) throws IOException, GeneralSecurityException {
        return new Pair(NodeSigningKey.loadOrCreate(folder.resolve(SIGNING_FILE)),
                NodeEncryptionKey.loadOrCreate(folder.resolve(ENCRYPTION_FILE)));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command, with its streams given; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].isBlank() || args[0].startsWith("-")) {
            err.println("Usage: NodeKeys <folder>");
            err.println("  Creates (or reads) " + SIGNING_FILE + " and " + ENCRYPTION_FILE + " in <folder> and prints");
            err.println("  the node's public keys for the network file: {\"signingKey\": ..., \"encryptionKey\": ...}");
            return 2;
        }
        Path folder = Path.of(args[0]);
        Path signingFile = folder.resolve(SIGNING_FILE);
        Path encryptionFile = folder.resolve(ENCRYPTION_FILE);
        try {
            boolean hadSigning = signingFile.toFile().exists();
            boolean hadEncryption = encryptionFile.toFile().exists();
            NodeSigningKey signing = NodeSigningKey.loadOrCreate(signingFile);
            NodeEncryptionKey encryption = NodeEncryptionKey.loadOrCreate(encryptionFile);
            err.println((hadSigning ? "Kept " : "Created ") + signingFile.toAbsolutePath());
            err.println((hadEncryption ? "Kept " : "Created ") + encryptionFile.toAbsolutePath());
            out.println("{\"signingKey\": \"" + signing.publicKeyBase64() + "\", \"encryptionKey\": \""
                    + encryption.publicKeyBase64() + "\"}");
            return 0;
        } catch (IOException | GeneralSecurityException e) {
            String what = e instanceof GeneralSecurityException ? "" : e.getClass().getSimpleName() + ": ";
            err.println("NodeKeys: " + what + e.getMessage());
            return 1;
        }
    }
}
