package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.update;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.proof.ConsistencyProof;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.proof.ProofVerifier;
import org.meshledger.ledger.proof.VerificationReport;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.persistence.ledger.RecordKey;

/** Proofs checked by the standalone verifier, forgeries refused, tampering found by full verification. */
class ProofsAndVerificationTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");

    @TempDir
    static Path keys;

    private static NodeSigningKey key;

    @BeforeAll
    static void nodeKey() throws Exception {
        key = NodeSigningKey.loadOrCreate(keys.resolve("node-key.pem"));
    }

    /** Six blocks: loans L-0..L-3, then two updates of L-1. */
    private static TestLedger ledgerWithHistory() throws Exception {
        TestLedger ledger = TestLedger.fresh();
        for (int i = 0; i < 4; i++) {
            ledger.commit(SERVICER, null, createLoan("L-" + i));
        }
        ledger.commit(SERVICER, null, update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"));
        ledger.commit(SERVICER, null, update("Loan", "L-1", 2, "{\"status\": \"in-forbearance\"}"));
        return ledger;
    }

    private static LedgerProofs proofs(TestLedger ledger) {
        return new LedgerProofs(DemoNetwork.get().id(), ledger.store, key);
    }

    @Test
    void theKeyFileIsReadBackAsTheSameKey() throws Exception {
        NodeSigningKey again = NodeSigningKey.loadOrCreate(keys.resolve("node-key.pem"));
        assertEquals(key.publicKeyBase64(), again.publicKeyBase64());
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(keys.resolve("node-key.pem")), "readable by its owner only");
    }

    @Test
    void anInclusionProofHoldsOfflineAgainstTheLatestAndAnEarlierDigest() throws Exception {
        try (TestLedger ledger = ledgerWithHistory()) {
            String proof = Json.MAPPER.writeValueAsString(proofs(ledger).inclusion(new RecordKey("Loan", "L-1"), 2, null));
            ProofVerifier.Verdict verdict = ProofVerifier.verify(proof, key.publicKeyBase64());
            assertTrue(verdict.valid(), verdict.message());
            assertTrue(verdict.message().contains("Loan/L-1 version 2 is in block 5"), verdict.message());

            String earlier = Json.MAPPER.writeValueAsString(proofs(ledger).inclusion(new RecordKey("Loan", "L-0"), 1, 3L));
            assertTrue(ProofVerifier.verify(earlier, key.publicKeyBase64()).valid());
        }
    }

    @Test
    void forgedInclusionProofsAreRefused() throws Exception {
        try (TestLedger ledger = ledgerWithHistory()) {
            InclusionProof genuine = proofs(ledger).inclusion(new RecordKey("Loan", "L-1"), 1, null);
            JsonNode proof = Json.MAPPER.valueToTree(genuine);
            assertTrue(ProofVerifier.verify(Json.write(proof), key.publicKeyBase64()).valid());
            assertTrue(((ArrayNode) proof.at("/block/path")).size() >= 2, "a path long enough to tamper with");

            assertRefused(proof, p -> withPath(p, "/block/path", path -> {
                path.set(0, path.get(1));
                return path;
            }), "a wrong sibling");
            assertRefused(proof, p -> withPath(p, "/block/path", path -> {
                JsonNode first = path.get(0);
                path.set(0, path.get(1));
                path.set(1, first);
                return path;
            }), "swapped siblings");
            assertRefused(proof, p -> withPath(p, "/block/path", path -> {
                path.remove(path.size() - 1);
                return path;
            }), "a truncated path");
            JsonNode other = Json.MAPPER.valueToTree(proofs(ledger).inclusion(new RecordKey("Loan", "L-1"), 2, null));
            assertRefused(proof, p -> {
                ((ObjectNode) p).set("record", other.get("record"));
                return p;
            }, "another leaf");
            assertRefused(proof, p -> {
                ObjectNode disclosed = (ObjectNode) p.get("disclosed");
                disclosed.put("status", disclosed.get("status").asText().replace("current", "paid-off"));
                return p;
            }, "a changed field value");
            assertRefused(proof, p -> {
                ObjectNode disclosed = (ObjectNode) p.get("disclosed");
                disclosed.set("termMonths", other.get("disclosed").get("status"));
                return p;
            }, "another field's commitment");
            assertRefused(proof, p -> {
                ObjectNode disclosed = (ObjectNode) p.get("disclosed");
                disclosed.set("status", other.get("disclosed").get("status"));
                return p;
            }, "the same field of another version");
            assertRefused(proof, p -> {
                ObjectNode record = (ObjectNode) p.get("record");
                record.put("canonical", record.get("canonical").asText().replace("\"version\":1", "\"version\":7"));
                return p;
            }, "a changed record version");
            assertRefused(proof, p -> {
                ObjectNode digest = (ObjectNode) p.get("digest");
                digest.put("height", digest.get("height").asLong() + 1);
                return p;
            }, "a digest of another height");
            assertRefused(proof, p -> {
                ObjectNode digest = (ObjectNode) p.get("digest");
                String signature = digest.get("signature").asText();
                digest.put("signature", (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1));
                return p;
            }, "a bad signature");
            String someoneElsesKey = java.util.Base64.getEncoder()
                    .encodeToString(DemoNetwork.get().parties().get(0).signingKey().getEncoded());
            ProofVerifier.Verdict otherKey = ProofVerifier.verify(Json.write(proof), someoneElsesKey);
            assertFalse(otherKey.valid(), "signed by another key than the trusted one");
        }
    }

    @Test
    void aPartialProofDisclosesOnlyWhatItsReaderMayReadAndStillVerifies() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, Records.createBorrower("B-1"));
            RecordType borrower = DemoNetwork.get().schema().type("Borrower").orElseThrow();
            PartyId securitizer = new PartyId("securitizer");
            AccessPolicy policy = new AccessPolicy();
            assertFalse(policy.canReadField(securitizer, borrower, "taxId"), "the schema keeps the tax id from it");

            InclusionProof proof = proofs(ledger).inclusion(ledger.store.version(new RecordKey("Borrower", "B-1"), 1)
                    .orElseThrow(), null, field -> policy.canReadField(securitizer, borrower, field));
            String text = Json.MAPPER.writeValueAsString(proof);

            assertFalse(text.contains("123-45-6789"), "the tax id is nowhere in the proof: " + text);
            assertEquals(java.util.Set.of("borrowerId"), proof.disclosed().keySet(), "what the securitizer may read");
            assertFalse(text.contains("Ada Homeowner"), "nor the name it may not read");
            ProofVerifier.Verdict verdict = ProofVerifier.verify(text, key.publicKeyBase64());
            assertTrue(verdict.valid(), verdict.message());
            assertTrue(verdict.message().contains("withheld (salted hashes only): fullName, taxId"), verdict.message());
        }
    }

    @Test
    void fieldHashesAreSaltedPerVersionSoGuessesDoNotMatch() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, Records.createBorrower("B-1"));
            ledger.commit(SERVICER, null, Records.createBorrower("B-2"));
            JsonNode first = Json.parse(proofs(ledger).inclusion(new RecordKey("Borrower", "B-1"), 1, null).record()
                    .canonical());
            JsonNode second = Json.parse(proofs(ledger).inclusion(new RecordKey("Borrower", "B-2"), 1, null).record()
                    .canonical());
            String hashed = first.at("/fields/taxId").asText();

            assertFalse(hashed.equals(second.at("/fields/taxId").asText()), "the same tax id hashes differently per version");
            // What someone holding only hashes would try: hashing the guess, bare or in the commitment's shape.
            assertFalse(hashed.equals(LedgerHashing.base64(MerkleTree.leafHash(
                    "\"123-45-6789\"".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
            for (JsonNode attempt : java.util.List.of(Json.parse("""
                    {"name": "taxId", "value": "123-45-6789"}"""), Json.parse("""
                    {"name": "taxId", "salt": "", "value": "123-45-6789"}"""))) {
                assertFalse(hashed.equals(LedgerHashing.base64(LedgerHashing.hash(attempt))));
            }
        }
    }

    @Test
    void consistencyProofsHoldAndForgedOnesDoNot() throws Exception {
        try (TestLedger ledger = ledgerWithHistory()) {
            for (long from = 1; from <= 6; from++) {
                ConsistencyProof proof = proofs(ledger).consistency(from, 6);
                ProofVerifier.Verdict verdict = ProofVerifier.verify(Json.MAPPER.writeValueAsString(proof),
                        key.publicKeyBase64());
                assertTrue(verdict.valid(), from + ": " + verdict.message());
            }
            JsonNode proof = Json.MAPPER.valueToTree(proofs(ledger).consistency(3, 6));
            ((ObjectNode) proof.get("from")).put("root", proof.at("/to/root").asText());
            assertFalse(ProofVerifier.verify(Json.write(proof), key.publicKeyBase64()).valid());
        }
    }

    @Test
    void anUntouchedLedgerVerifies() throws Exception {
        try (TestLedger ledger = ledgerWithHistory()) {
            VerificationReport report = new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify();

            assertTrue(report.intact(), String.valueOf(report.problem()));
            assertEquals(6, report.blocks());
            assertEquals(6, report.transactions());
            assertEquals(6, report.versions());
        }
    }

    @Test
    void aChangedRecordVersionIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET state = jsonb_set(state, '{status}', '\"paid-off\"') "
                + "WHERE record_id = 'L-1' AND version = 2");
        assertEquals("record-version", report.problem().kind());
        assertEquals("record version Loan/L-1/2", report.problem().subject());
        assertEquals(5, report.problem().blockHeight());
    }

    @Test
    void aChangedTransactionIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET content = jsonb_set(content, '{party}', "
                + "'\"loan-owner\"'), party = 'loan-owner' WHERE block_height = 2");
        assertEquals("transaction", report.problem().kind());
        assertEquals(2, report.problem().blockHeight());
    }

    @Test
    void aChangedBlockHashIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_block SET hash = sha256(hash) WHERE height = 3");
        assertEquals("block", report.problem().kind());
        assertEquals(3, report.problem().blockHeight());
    }

    @Test
    void aDeletedRecordVersionIsNamed() throws Exception {
        VerificationReport report = tamper("DELETE FROM record_version WHERE record_id = 'L-1' AND version = 3");
        assertEquals("record-version", report.problem().kind());
        assertTrue(report.problem().message().contains("Loan/L-1/3") && report.problem().message().contains("missing"),
                report.problem().message());
    }

    @Test
    void aDeletedTransactionIsFound() throws Exception {
        VerificationReport report = tamper("DELETE FROM record_version WHERE block_height = 4; "
                + "DELETE FROM ledger_transaction WHERE block_height = 4");
        assertEquals(4, report.problem().blockHeight());
        assertFalse(report.intact());
    }

    @Test
    void aChangedCurrentStateIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET state = jsonb_set(state, '{status}', '\"paid-off\"') "
                + "WHERE record_id = 'L-2'");
        assertEquals("current-state", report.problem().kind());
        assertEquals("Loan/L-2", report.problem().subject());
    }

    private static VerificationReport tamper(String sql) throws Exception {
        try (TestLedger ledger = ledgerWithHistory()) {
            ledger.execute(sql);
            VerificationReport report = new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify();
            assertFalse(report.intact(), "tampering must be found: " + sql);
            return report;
        }
    }

    private static void assertRefused(JsonNode genuine, UnaryOperator<JsonNode> forge, String what) {
        JsonNode forged = forge.apply(genuine.deepCopy());
        ProofVerifier.Verdict verdict = ProofVerifier.verify(Json.write(forged), key.publicKeyBase64());
        assertFalse(verdict.valid(), what + " must be refused");
    }

    private static JsonNode withPath(JsonNode proof, String pointer, UnaryOperator<ArrayNode> change) {
        ArrayNode path = (ArrayNode) proof.at(pointer);
        change.apply(path);
        return proof;
    }
}
