package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.delete;
import static org.meshledger.ledger.block.Records.update;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;

/** The write path on a real PostgreSQL: apply, reject, idempotency, atomicity, chaining. */
class BlockApplierTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal LOAN_OWNER = TestLedger.principal("loan-owner", "olivia");

    @Test
    void createThenUpdateWritesVersionsAndTheCurrentState() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            TransactionOutcome created = ledger.commit(SERVICER, null, createLoan("L-1"));
            TransactionOutcome updated = ledger.commit(SERVICER, null,
                    update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"));

            assertEquals(TransactionStatus.COMMITTED, created.status());
            assertEquals(1, created.versions().get(0).version());
            assertEquals(2, updated.versions().get(0).version());
            RecordVersionRow current = ledger.store.current(List.of(new RecordKey("Loan", "L-1")))
                    .get(new RecordKey("Loan", "L-1"));
            assertEquals(2, current.version());
            assertEquals("delinquent", Json.parse(current.state()).get("status").asText());
            assertEquals("servicer", current.ownerParty());
            assertEquals(2, ledger.count("SELECT count(*) FROM record_version"));
            assertEquals(2, ledger.count("SELECT count(*) FROM outbox_block WHERE published_at IS NULL"),
                    "each block waits in the outbox");
        }
    }

    @Test
    void aStaleExpectedVersionIsRejectedAndRecordedWithItsReason() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, createLoan("L-1"));
            ledger.commit(SERVICER, null, update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"));

            TransactionOutcome stale = ledger.commit(SERVICER, null, update("Loan", "L-1", 1, "{\"status\": \"current\"}"));

            assertEquals(TransactionStatus.REJECTED, stale.status());
            assertEquals(RejectionCode.VERSION_CONFLICT, stale.rejection().code());
            assertTrue(stale.rejection().message().contains("is at version 2, not at the expected version 1"),
                    stale.rejection().message());
            assertEquals(1, ledger.count("SELECT count(*) FROM ledger_transaction WHERE status = 'rejected' "
                    + "AND reason_code = 'VERSION_CONFLICT'"), "the rejection is on the ledger");
            assertEquals(2, ledger.count("SELECT count(*) FROM record_version"), "and it wrote no version");
        }
    }

    @Test
    void aTransactionIsAllOrNothing() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, createLoan("L-1"));

            TransactionOutcome outcome = ledger.commit(SERVICER, null, createBorrower("B-1"), createLoan("L-2"),
                    createLoan("L-1"));

            assertEquals(TransactionStatus.REJECTED, outcome.status());
            assertEquals(RejectionCode.ALREADY_EXISTS, outcome.rejection().code());
            assertEquals(2, outcome.rejection().operation(), "the third operation failed");
            assertEquals(0, ledger.count("SELECT count(*) FROM record_current WHERE record_id IN ('B-1', 'L-2')"));
        }
    }

    @Test
    void aResultThatViolatesTheSchemaIsRejectedNamingTheField() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, createLoan("L-1"));

            TransactionOutcome outcome = ledger.commit(SERVICER, null,
                    update("Loan", "L-1", null, "{\"termMonths\": 0}"));

            assertEquals(RejectionCode.SCHEMA_VIOLATION, outcome.rejection().code());
            assertTrue(outcome.rejection().message().contains("/termMonths (minimum)"), outcome.rejection().message());
        }
    }

    @Test
    void aFieldThePartyMayNotWriteIsRejectedNamingTheRule() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, createLoan("L-1"));

            TransactionOutcome servicer = ledger.commit(SERVICER, null,
                    update("Loan", "L-1", null, "{\"servicingGuidance\": \"call weekly\"}"));
            TransactionOutcome owner = ledger.commit(LOAN_OWNER, null,
                    update("Loan", "L-1", null, "{\"servicingGuidance\": \"call weekly\"}"));

            assertEquals(RejectionCode.ACCESS_DENIED, servicer.rejection().code());
            assertTrue(servicer.rejection().message().contains("x-access.write of Loan.servicingGuidance: [loan-owner]"));
            assertEquals(TransactionStatus.COMMITTED, owner.status());
            assertEquals("servicer", ledger.store.current(List.of(new RecordKey("Loan", "L-1")))
                    .get(new RecordKey("Loan", "L-1")).ownerParty(), "the owner stays the creator");
        }
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstOutcomeAndWritesNothing() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            TransactionOutcome first = ledger.commit(SERVICER, "crm-42", createLoan("L-1"));
            TransactionOutcome again = ledger.commit(SERVICER, "crm-42", createLoan("L-1"));

            assertEquals(first.txId(), again.txId());
            assertEquals(first.hash(), again.hash());
            assertTrue(again.repeated());
            assertEquals(1, ledger.count("SELECT count(*) FROM ledger_transaction"));

            TransactionOutcome otherParty = ledger.commit(LOAN_OWNER, "crm-42",
                    update("Loan", "L-1", null, "{\"servicingGuidance\": \"x\"}"));
            assertEquals(TransactionStatus.COMMITTED, otherParty.status(), "keys are per party");
        }
    }

    @Test
    void concurrentRepeatsOfOneKeyWriteOnce() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<TransactionOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                outcomes.add(pool.submit(() -> ledger.commit(SERVICER, "same-key", createLoan("L-9"))));
            }
            UUID txId = null;
            for (Future<TransactionOutcome> outcome : outcomes) {
                TransactionOutcome o = outcome.get();
                assertEquals(TransactionStatus.COMMITTED, o.status());
                txId = txId == null ? o.txId() : txId;
                assertEquals(txId, o.txId());
            }
            pool.shutdown();
            assertEquals(1, ledger.count("SELECT count(*) FROM ledger_transaction"));
        }
    }

    @Test
    void manyWritersLoseNoUpdate() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            for (int r = 0; r < 4; r++) {
                ledger.commit(SERVICER, null, createLoan("L-" + r));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(() -> {
                    int committed = 0;
                    for (int i = 0; i < 25; i++) {
                        String loan = "L-" + ((writer + i) % 4);
                        while (true) {
                            int version = ledger.store.current(List.of(new RecordKey("Loan", loan)))
                                    .get(new RecordKey("Loan", loan)).version();
                            TransactionOutcome o = ledger.commit(SERVICER, null, update("Loan", loan, version,
                                    "{\"termMonths\": " + (100 + writer * 25 + i) + "}"));
                            if (o.status() == TransactionStatus.COMMITTED) {
                                committed++;
                                break;
                            }
                            assertEquals(RejectionCode.VERSION_CONFLICT, o.rejection().code(), "a conflict, nothing else");
                        }
                    }
                    return committed;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(writers)) {
                total += f.get();
            }
            pool.shutdown();
            assertEquals(200, total);
            assertEquals(4 + 200, ledger.count("SELECT sum(version) FROM record_current"),
                    "every committed update is a version: none lost");
            assertEquals(4 + 200, ledger.count("SELECT count(*) FROM record_version"));
        }
    }

    @Test
    void deletingKeepsTheHistoryAndACreateAfterItContinuesTheVersions() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SERVICER, null, createLoan("L-1"));
            TransactionOutcome deleted = ledger.commit(SERVICER, null, delete("Loan", "L-1", 1));
            TransactionOutcome again = ledger.commit(SERVICER, null, createLoan("L-1"));
            TransactionOutcome missing = ledger.commit(SERVICER, null, delete("Loan", "L-404", null));

            assertEquals(2, deleted.versions().get(0).version());
            assertEquals(3, again.versions().get(0).version());
            assertEquals(RejectionCode.NOT_FOUND, missing.rejection().code());
            assertNull(ledger.store.version(new RecordKey("Loan", "L-1"), 2).orElseThrow().state());
        }
    }

    @Test
    void blocksAreChainedAndTheLedgerRootCoversEveryBlock() throws SQLException {
        try (TestLedger ledger = TestLedger.fresh()) {
            for (int i = 0; i < 5; i++) {
                ledger.commit(SERVICER, null, createLoan("L-" + i));
            }
            List<byte[]> hashes = ledger.store.blockHashes(Long.MAX_VALUE);
            byte[] previous = LedgerHashing.genesisHash();
            for (int height = 1; height <= hashes.size(); height++) {
                BlockRow block = ledger.store.block(height).orElseThrow();
                assertArrayEquals(previous, block.previousHash(), "block " + height + " names its predecessor");
                assertArrayEquals(LedgerHashing.hash(Json.parse(block.header())), block.hash());
                assertArrayEquals(MerkleTree.root(hashes.subList(0, height)), block.ledgerRoot());
                previous = block.hash();
            }
            assertNotNull(ledger.store.lastBlock().orElseThrow());
        }
    }
}
