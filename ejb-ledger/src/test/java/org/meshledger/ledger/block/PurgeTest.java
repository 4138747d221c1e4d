package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.update;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.ProofVerifier;
import org.meshledger.ledger.proof.VerificationReport;
import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.SubmitChecks;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.ledger.ReadReceiptStore;

/** A purge erases values from the whole history, on the ledger, and everything else still verifies. */
class PurgeTest {

    private static final String TAX_ID = "123-45-6789";
    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SONIA = admin("servicer", "sonia");
    private static final MeshPrincipal OLIVIA_ADMIN = admin("loan-owner", "olivia");

    private static MeshPrincipal admin(String party, String name) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, name, "sub-" + name,
                Set.of(Role.VIEWER, Role.PARTY_ADMIN));
    }

    private static Operation purge(String id, String body) {
        return new Operation(OperationKind.PURGE, "Borrower", id, null, Json.parse(body));
    }

    @Test
    void purgedValuesAreGoneFromEveryPathAndTheLedgerStillVerifies() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 1, "{\"email\": \"ada@example.org\"}"));
            ledger.commit(SAM, null, createBorrower("B-2"));
            long beforePurge = ledger.chain.height();

            TransactionOutcome byOtherParty = ledger.commit(OLIVIA_ADMIN, null,
                    purge("B-1", "{\"fields\": [\"taxId\"], \"reason\": \"not ours\"}"));
            TransactionOutcome byEditor = ledger.commit(SAM, null,
                    purge("B-1", "{\"fields\": [\"taxId\"], \"reason\": \"no right\"}"));
            assertEquals(RejectionCode.ACCESS_DENIED, byOtherParty.rejection().code());
            assertEquals(RejectionCode.ACCESS_DENIED, byEditor.rejection().code());

            TransactionOutcome purged = ledger.commit(SONIA, null,
                    purge("B-1", "{\"fields\": [\"taxId\"], \"reason\": \"borrower's erasure request 2026-11-22\"}"));
            assertEquals(TransactionStatus.COMMITTED, purged.status(), String.valueOf(purged.rejection()));
            assertEquals(3, purged.versions().get(0).version(), "the purge is a version of its own");

            RecordReader reader = new RecordReader(DemoNetwork.get().schema(), new AccessPolicy(), ledger.store,
                    ledger.proofs(), new ReadReceiptStore(ledger.dataSource), Clock.systemUTC());
            assertFalse(reader.get(SAM, "Borrower", "B-1", AsOf.NOW).state().has("taxId"), "current state");
            assertEquals("ada@example.org", reader.get(SAM, "Borrower", "B-1", AsOf.NOW).state().path("email").asText());
            assertFalse(reader.version(SAM, "Borrower", "B-1", 1).state().has("taxId"), "an earlier version");
            assertFalse(reader.get(SAM, "Borrower", "B-1", new AsOf(beforePurge, null, null)).state().has("taxId"),
                    "as of a height before the purge");
            for (HistoryEntry entry : reader.history(SAM, "Borrower", "B-1")) {
                assertFalse(Json.write(Json.MAPPER.valueToTree(entry)).contains(TAX_ID), "history: " + entry);
            }
            assertFalse(Json.write(Json.MAPPER.valueToTree(reader.list(SAM, "Borrower",
                    new ListQuery(Map.of(), List.of(), 0, 10, new AsOf(beforePurge, null, null))).items().get(0)))
                    .contains(TAX_ID), "a list as of before the purge");
            assertEquals(TAX_ID, reader.get(SAM, "Borrower", "B-2", AsOf.NOW).state().path("taxId").asText(),
                    "another record keeps its value");
            assertEquals(0, ledger.count("SELECT count(*) FROM record_version WHERE record_id = 'B-1' "
                    + "AND state::text LIKE '%" + TAX_ID + "%'"), "no stored version holds it");
            assertEquals(0, ledger.count("SELECT count(*) FROM record_current WHERE record_id = 'B-1' "
                    + "AND state::text LIKE '%" + TAX_ID + "%'"));
            assertEquals(0, ledger.count("SELECT count(*) FROM ledger_transaction WHERE content::text LIKE '%"
                    + TAX_ID + "%'"), "transactions hold commitments, never values");
            assertEquals(1, ledger.count("SELECT count(*) FROM ledger_transaction WHERE content->'purges'->0->>'reason' "
                    + "= 'borrower''s erasure request 2026-11-22'"), "the purge and its reason are on the ledger");

            VerificationReport report = new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify();
            assertTrue(report.intact(), String.valueOf(report.problem()));
            assertEquals(2, report.purged(), "versions 1 and 2 are reported purged, not tampered");

            InclusionProof proof = reader.proof(SAM, "Borrower", "B-1", 1, null);
            String text = Json.MAPPER.writeValueAsString(proof);
            assertFalse(text.contains(TAX_ID));
            ProofVerifier.Verdict verdict = ProofVerifier.verify(text, null);
            assertTrue(verdict.valid(), verdict.message());
            assertTrue(verdict.message().contains("withheld (salted hashes only): taxId"), verdict.message());

            ledger.execute("UPDATE record_version SET purged = jsonb_set(purged, '{taxId}', '\"AAAA\"') "
                    + "WHERE record_id = 'B-1' AND version = 1");
            assertFalse(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact(),
                    "a changed purged hash is tampering");
        }
    }

    @Test
    void aPurgeNamesKnownFieldsNotTheKeyAndGivesItsReason() {
        SubmitChecks checks = new SubmitChecks(DemoNetwork.get().schema(), new AccessPolicy(),
                DemoNetwork.get().parties().stream().map(PartyDefinition::id).collect(java.util.stream.Collectors.toSet()));
        for (String body : List.of("{\"fields\": [\"borrowerId\"], \"reason\": \"r\"}",
                "{\"fields\": [\"shoeSize\"], \"reason\": \"r\"}", "{\"fields\": [\"taxId\"]}",
                "{\"fields\": [], \"reason\": \"r\"}")) {
            assertThrows(InvalidTransactionException.class, () -> checks.check(SONIA, new TransactionRequest(null, null,
                    null, null, List.of(purge("B-1", body)))), body);
        }
        checks.check(SONIA, new TransactionRequest(null, null, null, null,
                List.of(purge("B-1", "{\"fields\": [\"taxId\"], \"reason\": \"r\"}"))));
    }
}
