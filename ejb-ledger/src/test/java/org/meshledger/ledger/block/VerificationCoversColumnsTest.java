package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.delete;
import static org.meshledger.ledger.block.Records.grant;
import static org.meshledger.ledger.block.Records.revoke;
import static org.meshledger.ledger.block.Records.update;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.VerificationReport;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.SourceReference;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;

/**
 * Full verification covers every column a read serves (issue 14): a column that is not hashed is
 * checked against the hashed content it must agree with, the current state column by column, and a
 * purged field only stands if a later purge transaction erased it.
 */
class VerificationCoversColumnsTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SONIA = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.USER, "sonia",
            "sub-sonia", Set.of(Role.VIEWER, Role.PARTY_ADMIN));
    private static final String TAX_ID_PURGE = "{\"fields\": [\"taxId\"], \"reason\": \"erasure request\"}";

    /**
     * Eighteen blocks: 1 Loan L-1 created with an idempotency key, a source and a valid-from; 2 L-1
     * updated; 3 an update of L-1 rejected; 4, 5 Loan L-2 created and deleted; 6 Borrower B-1
     * created; 7 B-1 shared; 8 B-1 updated; 9 B-1's taxId purged (versions 1 to 3); 10 Borrower B-2
     * created; 11 a purge of B-2 rejected; 12 B-1 put anew, with a taxId (version 5); 13 B-1's
     * sharing revoked; 14 L-2 created again; 15 Loan L-3 put; 16 to 18 Borrower B-3 created, deleted
     * and then purged (its version 1).
     */
    private static TestLedger ledgerWithPurges() throws Exception {
        TestLedger ledger = TestLedger.fresh();
        ledger.commit(new Submission(UUID.randomUUID(), SAM, new TransactionRequest("k-1", null,
                Instant.parse("2026-01-01T00:00:00Z"), new SourceReference("crm", "CRM-1"), List.of(createLoan("L-1")))));
        ledger.commit(SAM, null, update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"));
        assertEquals(TransactionStatus.REJECTED, ledger.commit(SAM, null, update("Loan", "L-1", 7, "{}")).status());
        ledger.commit(SAM, null, createLoan("L-2"));
        ledger.commit(SAM, null, delete("Loan", "L-2", 1));
        ledger.commit(SAM, null, createBorrower("B-1"));
        ledger.commit(SONIA, null, grant("Borrower", "B-1", "{\"fields\": {\"taxId\": {\"read\": [\"securitizer\"]}}}"));
        ledger.commit(SAM, null, update("Borrower", "B-1", 2, "{\"email\": \"ada@example.org\"}"));
        assertEquals(TransactionStatus.COMMITTED, ledger.commit(SONIA, null, purge("B-1")).status());
        ledger.commit(SAM, null, createBorrower("B-2"));
        assertEquals(TransactionStatus.REJECTED, ledger.commit(SAM, null, purge("B-2")).status());
        ledger.commit(SAM, null, new Operation(OperationKind.PUT, "Borrower", "B-1", 4, Json.parse("""
                {"borrowerId": "B-1", "fullName": "Ada Homeowner", "taxId": "987-65-4321"}""")));
        ledger.commit(SONIA, null, revoke("Borrower", "B-1", "{\"fields\": {\"taxId\": {\"read\": [\"securitizer\"]}}}"));
        ledger.commit(SAM, null, createLoan("L-2"));
        ledger.commit(SAM, null, new Operation(OperationKind.PUT, "Loan", "L-3", null, createLoan("L-3").body()));
        ledger.commit(SAM, null, createBorrower("B-3"));
        ledger.commit(SAM, null, delete("Borrower", "B-3", 1));
        TransactionOutcome deletedPurged = ledger.commit(SONIA, null, purge("B-3"));
        assertEquals(TransactionStatus.COMMITTED, deletedPurged.status(), String.valueOf(deletedPurged.rejection()));
        return ledger;
    }

    private static Operation purge(String id) {
        return new Operation(OperationKind.PURGE, "Borrower", id, null, Json.parse(TAX_ID_PURGE));
    }

    // ---- purged fields ----

    @Test
    void aLedgerWithJustifiedPurgesVerifies() throws Exception {
        try (TestLedger ledger = ledgerWithPurges()) {
            VerificationReport report = verify(ledger);
            assertTrue(report.intact(), String.valueOf(report.problem()));
            assertEquals(18, report.blocks());
            assertEquals(4, report.purged(), "versions 1 to 3 of B-1 (purged in block 9) and 1 of B-3 (block 18)");
        }
    }

    @Test
    void aValueRemovedBehindTheLedgersBackIsNamed() throws Exception {
        VerificationReport report = tamper(ledger -> purgeBehindTheLedger(ledger, "Loan", "L-1", 1, "status"));
        assertProblem(report, "record-version", 1, "record version Loan/L-1/1 has purged fields [status] that no "
                + "purge transaction erased");
    }

    @Test
    void aFieldRemovedBesideAGenuinePurgeIsNamed() throws Exception {
        VerificationReport report = tamper(ledger -> purgeBehindTheLedger(ledger, "Borrower", "B-1", 1, "fullName"));
        assertProblem(report, "record-version", 6, "record version Borrower/B-1/1 has purged fields [fullName] that "
                + "no purge transaction erased");
    }

    @Test
    void aPurgeDoesNotCoverTheVersionsAfterIt() throws Exception {
        VerificationReport report = tamper(ledger -> purgeBehindTheLedger(ledger, "Borrower", "B-1", 5, "taxId"));
        assertProblem(report, "record-version", 12, "record version Borrower/B-1/5 has purged fields [taxId] that no "
                + "purge transaction erased");
    }

    @Test
    void aRejectedPurgeCoversNothing() throws Exception {
        VerificationReport report = tamper(ledger -> purgeBehindTheLedger(ledger, "Borrower", "B-2", 1, "taxId"));
        assertProblem(report, "record-version", 10, "record version Borrower/B-2/1 has purged fields [taxId] that no "
                + "purge transaction erased");
    }

    @Test
    void aPurgedValueBroughtBackIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET state = state || '{\"taxId\": \"123-45-6789\"}', "
                + "purged = NULL WHERE record_id = 'B-1' AND version = 1");
        assertProblem(report, "record-version", 6, "record version Borrower/B-1/1 holds fields [taxId] that a later "
                + "purge transaction erased");
    }

    @Test
    void aPurgedFieldThatStillHoldsAValueIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET state = state || '{\"taxId\": \"123-45-6789\"}' "
                + "WHERE record_id = 'B-1' AND version = 1");
        assertProblem(report, "record-version", 6, "record version Borrower/B-1/1 has purged fields [taxId] that "
                + "still hold values");
    }

    @Test
    void aChangedPurgedHashIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET purged = jsonb_set(purged, '{taxId}', '\"AAAA\"') "
                + "WHERE record_id = 'B-1' AND version = 2");
        assertProblem(report, "record-version", 7, "record version Borrower/B-1/2 in block 7 does not match its hash");
    }

    // ---- transaction columns ----

    @Test
    void aChangedPartyIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET party = 'loan-owner' WHERE block_height = 1");
        assertTransactionColumn(report, 1, "party");
    }

    @Test
    void aChangedPrincipalKindIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET principal_kind = 'system' WHERE block_height = 1");
        assertTransactionColumn(report, 1, "principal_kind");
    }

    @Test
    void aChangedPrincipalNameIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET principal_name = 'mallory' WHERE block_height = 1");
        assertTransactionColumn(report, 1, "principal_name");
    }

    @Test
    void aChangedIdempotencyKeyIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET idempotency_key = 'k-2' WHERE block_height = 1");
        assertTransactionColumn(report, 1, "idempotency_key");
    }

    @Test
    void aChangedSourceSystemIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET source_system = 'erp' WHERE block_height = 1");
        assertTransactionColumn(report, 1, "source_system");
    }

    @Test
    void aChangedSourceReferenceIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET source_reference = 'CRM-2' WHERE block_height = 1");
        assertTransactionColumn(report, 1, "source_reference");
    }

    @Test
    void aChangedRecordedTimeIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET recorded_at = recorded_at - interval '1 day' "
                + "WHERE block_height = 2");
        assertTransactionColumn(report, 2, "recorded_at");
    }

    @Test
    void aChangedValidFromIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET valid_from = NULL WHERE block_height = 1");
        assertTransactionColumn(report, 1, "valid_from");
    }

    @Test
    void aChangedStatusIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET status = 'committed' WHERE block_height = 3");
        assertTransactionColumn(report, 3, "status");
    }

    @Test
    void aChangedRejectionCodeIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET reason_code = 'ACCESS_DENIED' WHERE block_height = 3");
        assertTransactionColumn(report, 3, "reason_code");
    }

    @Test
    void aChangedRejectionReasonIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE ledger_transaction SET reason = 'nothing wrong' WHERE block_height = 3");
        assertTransactionColumn(report, 3, "reason");
    }

    // ---- record version columns ----

    @Test
    void anUpdateTurnedIntoADeletionIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'delete' WHERE record_id = 'L-1' "
                + "AND version = 2");
        assertProblem(report, "record-version", 2, "record version Loan/L-1/2 in block 2: its operation column differs "
                + "from its hashed content");
    }

    @Test
    void anUpdateTurnedIntoAPurgeIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'purge' WHERE record_id = 'L-1' "
                + "AND version = 2");
        assertProblem(report, "record-version", 2, "record version Loan/L-1/2 in block 2: its operation column differs "
                + "from its hashed content");
    }

    @Test
    void aPurgeTurnedIntoAnUpdateIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'update' WHERE record_id = 'B-1' "
                + "AND version = 4");
        assertProblem(report, "record-version", 9, "record version Borrower/B-1/4 in block 9: its operation column "
                + "differs from its hashed content");
    }

    @Test
    void aDeletionTurnedIntoAnUpdateIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'update' WHERE record_id = 'L-2' "
                + "AND version = 2");
        assertProblem(report, "record-version", 5, "record version Loan/L-2/2 in block 5: its operation column differs "
                + "from its hashed content");
    }

    @Test
    void aFirstVersionThatIsNoCreationIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'update' WHERE record_id = 'L-1' "
                + "AND version = 1");
        assertProblem(report, "record-version", 1, "record version Loan/L-1/1 in block 1: its operation column differs "
                + "from its hashed content");
    }

    @Test
    void aGrantTurnedIntoAnUpdateIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'update' WHERE record_id = 'B-1' "
                + "AND version = 2");
        assertProblem(report, "record-version", 7, "record version Borrower/B-1/2 in block 7: its operation column "
                + "differs from its hashed content");
    }

    @Test
    void anUpdateTurnedIntoAGrantIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'grant' WHERE record_id = 'L-1' "
                + "AND version = 2");
        assertProblem(report, "record-version", 2, "record version Loan/L-1/2 in block 2: its operation column differs "
                + "from its hashed content");
    }

    @Test
    void aPutOfALiveRecordTurnedIntoACreateIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'create' WHERE record_id = 'B-1' "
                + "AND version = 5");
        assertProblem(report, "record-version", 12, "record version Borrower/B-1/5 in block 12: its operation column "
                + "differs from its hashed content");
    }

    @Test
    void aCreateAfterADeletionTurnedIntoAnUpdateIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET operation = 'update' WHERE record_id = 'L-2' "
                + "AND version = 3");
        assertProblem(report, "record-version", 14, "record version Loan/L-2/3 in block 14: its operation column "
                + "differs from its hashed content");
    }

    @Test
    void aChangedOwnerIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET owner_party = 'loan-owner' WHERE record_id = 'L-1' "
                + "AND version = 1");
        assertProblem(report, "record-version", 1, "record version Loan/L-1/1 in block 1 does not match its hash");
    }

    @Test
    void aChangedVersionValidFromIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET valid_from = valid_from + interval '1 day' "
                + "WHERE record_id = 'L-1' AND version = 1");
        assertProblem(report, "record-version", 1, "record version Loan/L-1/1 in block 1 does not match its hash");
    }

    @Test
    void aChangedAccessIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET access = NULL WHERE record_id = 'B-1' AND version = 2");
        assertProblem(report, "record-version", 7, "record version Borrower/B-1/2 in block 7 does not match its hash");
    }

    @Test
    void aChangedVersionRecordedTimeIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET recorded_at = recorded_at - interval '1 day' "
                + "WHERE record_id = 'L-1' AND version = 2");
        assertProblem(report, "record-version", 2, "record version Loan/L-1/2 in block 2: its recorded_at column "
                + "differs from its hashed content");
    }

    @Test
    void aVersionMovedToAnotherBlockIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET block_height = 4 WHERE record_id = 'L-1' "
                + "AND version = 2");
        assertEquals("record-version", report.problem().kind());
        assertEquals(2, report.problem().blockHeight());
        assertTrue(report.problem().message().startsWith("record version Loan/L-1/2 written by transaction ")
                && report.problem().message().endsWith(" is missing"), report.problem().message());
    }

    @Test
    void aVersionGivenToAnotherTransactionIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_version SET tx_id = (SELECT tx_id FROM ledger_transaction "
                + "WHERE block_height = 1) WHERE record_id = 'L-1' AND version = 2");
        assertProblem(report, "record-version", 2, "record version Loan/L-1/2 in block 2: its tx_id column differs "
                + "from its hashed content");
    }

    // ---- current state ----

    @Test
    void aDeletedRecordShownAsLiveIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET deleted = false WHERE record_id = 'B-3'");
        assertProblem(report, "current-state", 0, "the current state of Borrower/B-3 is not its latest recorded "
                + "version: deleted differs");
    }

    @Test
    void aLiveRecordShownAsDeletedIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET deleted = true WHERE record_id = 'L-1'");
        assertProblem(report, "current-state", 0, "the current state of Loan/L-1 is not its latest recorded version: "
                + "deleted differs");
    }

    @Test
    void aChangedCurrentOwnerIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET owner_party = 'loan-owner' WHERE record_id = 'L-1'");
        assertProblem(report, "current-state", 0, "the current state of Loan/L-1 is not its latest recorded version: "
                + "owner_party differs");
    }

    @Test
    void aChangedCurrentOperationIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET operation = 'create' WHERE record_id = 'L-1'");
        assertProblem(report, "current-state", 0, "the current state of Loan/L-1 is not its latest recorded version: "
                + "operation differs");
    }

    @Test
    void aChangedCurrentVersionAndStateAreNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current c SET version = 1, state = v.state FROM record_version v "
                + "WHERE c.record_id = 'L-1' AND v.record_id = 'L-1' AND v.version = 1");
        assertProblem(report, "current-state", 0, "the current state of Loan/L-1 is not its latest recorded version: "
                + "version, state differ");
    }

    @Test
    void aChangedCurrentAccessIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET access = '{\"read\": [\"securitizer\"]}' "
                + "WHERE record_id = 'B-1'");
        assertProblem(report, "current-state", 0, "the current state of Borrower/B-1 is not its latest recorded "
                + "version: access differs");
    }

    @Test
    void aChangedCurrentLineageIsNamed() throws Exception {
        VerificationReport report = tamper("UPDATE record_current SET tx_id = gen_random_uuid(), block_height = 1, "
                + "recorded_at = recorded_at - interval '1 day', valid_from = valid_from - interval '1 day' "
                + "WHERE record_id = 'L-1'");
        assertProblem(report, "current-state", 0, "the current state of Loan/L-1 is not its latest recorded version: "
                + "tx_id, block_height, recorded_at, valid_from differ");
    }

    @Test
    void aMissingCurrentStateIsNamed() throws Exception {
        VerificationReport report = tamper("DELETE FROM record_current WHERE record_id = 'L-1'");
        assertProblem(report, "current-state", 0, "Loan/L-1 has recorded versions but no current state");
    }

    // ---- helpers ----

    /** What someone with database access would do: remove a value and keep its salted hash as purged. */
    private static void purgeBehindTheLedger(TestLedger ledger, String type, String id, int version, String field)
            throws Exception {
        RecordVersionRow row = ledger.store.version(new RecordKey(type, id), version).orElseThrow();
        String purged = BlockApplier.purgedHashes(row, Set.of(field));
        ledger.execute("UPDATE record_version SET state = state - '" + field + "', purged = '" + purged + "'::jsonb "
                + "WHERE record_type = '" + type + "' AND record_id = '" + id + "' AND version = " + version);
    }

    @FunctionalInterface
    private interface Tampering {
        void apply(TestLedger ledger) throws Exception;
    }

    private static VerificationReport tamper(String sql) throws Exception {
        return tamper(ledger -> ledger.execute(sql));
    }

    private static VerificationReport tamper(Tampering tampering) throws Exception {
        try (TestLedger ledger = ledgerWithPurges()) {
            assertTrue(verify(ledger).intact(), "intact before tampering");
            tampering.apply(ledger);
            VerificationReport report = verify(ledger);
            assertFalse(report.intact(), "tampering must be found");
            return report;
        }
    }

    private static VerificationReport verify(TestLedger ledger) throws Exception {
        return new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify();
    }

    private static void assertProblem(VerificationReport report, String kind, long height, String message) {
        assertEquals(kind, report.problem().kind(), report.problem().message());
        assertEquals(height, report.problem().blockHeight(), report.problem().message());
        assertEquals(message, report.problem().message());
    }

    private static void assertTransactionColumn(VerificationReport report, long height, String column) {
        assertEquals("transaction", report.problem().kind(), report.problem().message());
        assertEquals(report.problem().subject() + " in block " + height + ": its " + column
                + " column differs from its hashed content", report.problem().message());
    }
}
