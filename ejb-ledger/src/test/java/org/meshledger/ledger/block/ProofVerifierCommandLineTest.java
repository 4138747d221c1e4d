package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createLoan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.proof.ProofVerifier;
import org.meshledger.persistence.ledger.RecordKey;

/**
 * The standalone verifier as a party runs it: a separate JVM with nothing on its class path but the
 * verifier's own classes (so it needs only the JDK), a proof file, and its exit code: 0 holds and
 * signed by the trusted key, 1 does not hold, 2 unreadable, 3 holds but signed by a key nobody vouched for.
 */
class ProofVerifierCommandLineTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");

    @TempDir
    static Path dir;

    private static TestLedger ledger;
    private static NodeSigningKey key;
    private static Path inclusion;
    private static Path consistency;

    @BeforeAll
    static void proofs() throws Exception {
        key = NodeSigningKey.loadOrCreate(dir.resolve("node-key.pem"));
        ledger = TestLedger.fresh();
        for (int i = 0; i < 3; i++) {
            ledger.commit(SERVICER, null, createLoan("L-" + i));
        }
        LedgerProofs proofs = new LedgerProofs(DemoNetwork.get().id(), ledger.store, key);
        inclusion = write("inclusion.json", Json.MAPPER.writeValueAsString(proofs.inclusion(new RecordKey("Loan", "L-1"),
                1, null)));
        consistency = write("consistency.json", Json.MAPPER.writeValueAsString(proofs.consistency(1, 3)));
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    @Test
    void aProofSignedByTheTrustedKeyHolds() throws Exception {
        Run run = verify(inclusion.toString(), "--key", key.publicKeyBase64());
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.startsWith("VALID: Loan/L-1 version 1"), run.output);
        assertEquals(0, verify(consistency.toString(), "--key", key.publicKeyBase64()).exit);
    }

    @Test
    void withoutATrustedKeyItSaysSoAndFails() throws Exception {
        Run run = verify(inclusion.toString());
        assertEquals(3, run.exit, run.output);
        assertTrue(run.output.startsWith("UNTRUSTED: ") && run.output.contains("nothing vouches for"), run.output);
    }

    @Test
    void aProofSignedByAnotherKeyOrTamperedWithDoesNotHold() throws Exception {
        NodeSigningKey other = NodeSigningKey.loadOrCreate(dir.resolve("other-key.pem"));
        assertEquals(1, verify(inclusion.toString(), "--key", other.publicKeyBase64()).exit);
        ObjectNode forged = (ObjectNode) Json.parse(Files.readString(inclusion));
        ((ObjectNode) forged.path("digest")).put("root", forged.path("block").path("hash").asText());
        Run run = verify(write("forged.json", Json.write(forged)).toString(), "--key", key.publicKeyBase64());
        assertEquals(1, run.exit, run.output);
        assertTrue(run.output.startsWith("INVALID: "), run.output);
    }

    @Test
    void aConsistencyProofWhoseDigestsTwoKeysSignedDoesNotHold() throws Exception {
        NodeSigningKey other = NodeSigningKey.loadOrCreate(dir.resolve("second-key.pem"));
        ObjectNode proof = (ObjectNode) Json.parse(Files.readString(consistency));
        ((ObjectNode) proof.path("to")).put("publicKey", other.publicKeyBase64());
        Run run = verify(write("two-keys.json", Json.write(proof)).toString());
        assertEquals(1, run.exit, run.output);
        assertTrue(run.output.contains("signed by different keys"), run.output);
    }

    @Test
    void unreadableInputAndBadUsageExitWith2() throws Exception {
        assertEquals(2, verify(dir.resolve("missing.json").toString()).exit);
        assertEquals(2, verify().exit);
        assertEquals(2, verify(inclusion.toString(), "--key").exit);
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String output) {
    }

    private static Run verify(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path classes = Path.of(ProofVerifier.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(java, "-cp", classes.toString(),
                ProofVerifier.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }
}
