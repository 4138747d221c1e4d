package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.createSecurity;
import static org.meshledger.ledger.block.Records.update;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.ordering.InNodeOrdering;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.VerificationReport;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.SourceReference;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.BlockExistsException;
import org.meshledger.persistence.ledger.CommitOutcomeUnknownException;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * A transaction carrying a value PostgreSQL refuses (a NUL character, a text too large for an
 * index) is rejected on its own ({@code STORAGE_REFUSED}); the other transactions of its block, and
 * the blocks applied on top of it, are written.
 */
class StorageRefusalTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal LOAN_OWNER = TestLedger.principal("loan-owner", "olivia");
    private static final MeshPrincipal SECURITIZER = TestLedger.principal("securitizer", "selena");
    /** Blocks of exactly three while the writer is busy (a block is cut at once only for an idle writer). */
    private static final BlockPolicy THREES = new BlockPolicy(3, Duration.ofSeconds(10), 1000);

    @Test
    void aTransactionTheDatabaseRefusesIsRejectedAloneAndTheBlocksOnTopAreAppliedAgain() throws Exception {
        Logger ordering = Logger.getLogger(InNodeOrdering.class.getName());
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ordering.addHandler(handler);
        try (TestLedger ledger = TestLedger.on(TestLedger.freshDatabase(), THREES)) {
            // The first write of block 2 takes its time, so that block 3 is surely applied on top of it.
            ledger.execute("""
                    CREATE SEQUENCE slow_writes;
                    CREATE FUNCTION slow_block() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.height = 2 AND nextval('slow_writes') = 1 THEN PERFORM pg_sleep(0.5); END IF;
                      RETURN NEW;
                    END $$;
                    CREATE TRIGGER slow_block BEFORE INSERT ON ledger_block
                      FOR EACH ROW EXECUTE FUNCTION slow_block();""");
            List<CompletableFuture<TransactionOutcome>> block;
            List<CompletableFuture<TransactionOutcome>> onTop;
            // The writer waits on a lock while the next two blocks are cut: the second is applied on
            // top of the first, as it is while the first is written.
            try (Connection lock = ledger.dataSource.getConnection(); Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                s.execute("LOCK TABLE outbox_block IN EXCLUSIVE MODE");
                CompletableFuture<TransactionOutcome> first = submit(ledger, SERVICER, null, createBorrower("B-0"));
                awaitWriterWaiting(ledger);

                block = List.of(
                        submit(ledger, SERVICER, null, createLoan("L-1")),
                        submit(ledger, SECURITIZER, new SourceReference("crm", "ref-\u0000-1"), createSecurity("S-1")),
                        submit(ledger, LOAN_OWNER, null, createProperty("P-1")));
                onTop = List.of(
                        // Built on the refused one: once it is gone, S-1 does not exist...
                        submit(ledger, SECURITIZER, null, update("Security", "S-1", null, "{\"status\": \"closed\"}")),
                        // ... and can be created.
                        submit(ledger, SECURITIZER, null, createSecurity("S-1")),
                        submit(ledger, SERVICER, null, update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}")));
                lock.rollback();
                assertEquals(TransactionStatus.COMMITTED, first.get(30, TimeUnit.SECONDS).status());
            }

            TransactionOutcome loan = block.get(0).get(30, TimeUnit.SECONDS);
            TransactionOutcome poison = block.get(1).get(30, TimeUnit.SECONDS);
            TransactionOutcome property = block.get(2).get(30, TimeUnit.SECONDS);
            assertEquals(TransactionStatus.COMMITTED, loan.status(), String.valueOf(loan.rejection()));
            assertEquals(TransactionStatus.COMMITTED, property.status(), String.valueOf(property.rejection()));
            assertEquals(TransactionStatus.REJECTED, poison.status());
            assertEquals(RejectionCode.STORAGE_REFUSED, poison.rejection().code());
            assertEquals("the node's database cannot store this transaction's values", poison.rejection().message());
            assertEquals(2, loan.blockHeight(), "one block of three, after the first");
            assertEquals(List.of(2L, 2L), List.of(poison.blockHeight(), property.blockHeight()));
            assertEquals(List.of(0, 1, 2), List.of(loan.position(), poison.position(), property.position()));

            TransactionOutcome closeRefused = onTop.get(0).get(30, TimeUnit.SECONDS);
            TransactionOutcome createAgain = onTop.get(1).get(30, TimeUnit.SECONDS);
            TransactionOutcome updateLoan = onTop.get(2).get(30, TimeUnit.SECONDS);
            assertEquals(RejectionCode.NOT_FOUND, closeRefused.rejection().code(), "applied again without S-1");
            assertEquals(TransactionStatus.COMMITTED, createAgain.status(), String.valueOf(createAgain.rejection()));
            assertEquals(TransactionStatus.COMMITTED, updateLoan.status(), String.valueOf(updateLoan.rejection()));
            assertEquals(2, updateLoan.versions().get(0).version());
            assertEquals(3, updateLoan.blockHeight());

            TransactionRow row = ledger.store.transaction(poison.txId()).orElseThrow();
            assertEquals("rejected", row.status());
            assertEquals("STORAGE_REFUSED", row.reasonCode());
            assertNull(row.sourceReference(), "the refused value is not kept");
            assertTrue(Json.parse(row.content()).path("source").isNull(), "nor hashed");
            assertEquals(0, ledger.count("SELECT count(*) FROM record_version WHERE tx_id = '" + poison.txId() + "'"));

            assertEquals(TransactionStatus.COMMITTED,
                    ledger.commit(SERVICER, null, update("Loan", "L-1", 2, "{\"status\": \"current\"}")).status(),
                    "the chain goes on");
            assertEquals(4, ledger.chain.height());
            VerificationReport report = new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify();
            assertTrue(report.intact(), String.valueOf(report.problem()));
            assertEquals(4, report.blocks());
            assertTrue(logged.contains("Applying 1 block(s) again on block 2"), "block 3 was applied again: "
                    + logged);
        } finally {
            ordering.removeHandler(handler);
        }
    }

    @Test
    void aTextTooLargeForAnIndexIsRefusedAndTheRejectionKeepsNoneOfIt() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            // Random text: PostgreSQL compresses an index entry before it measures it.
            byte[] noise = new byte[9000];
            new Random(14).nextBytes(noise);
            String key = java.util.Base64.getEncoder().encodeToString(noise);
            TransactionOutcome outcome = ledger.commit(new Submission(UUID.randomUUID(), SERVICER,
                    new TransactionRequest(key, null, null, null, List.of(createLoan("L-9")))));

            assertEquals(RejectionCode.STORAGE_REFUSED, outcome.rejection().code());
            TransactionRow row = ledger.store.transaction(outcome.txId()).orElseThrow();
            assertNull(row.idempotencyKey());
            assertEquals(TransactionStatus.COMMITTED, ledger.commit(SERVICER, "short", createLoan("L-9")).status());
            assertTrue(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact());
        }
    }

    @Test
    void aStateTheStoreCannotHoldIsRejectedBeforeTheWriteWithItsIdempotencyKeyKept() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            Operation nul = new Operation(OperationKind.CREATE, "Borrower", "B-1", null, Json.parse(
                    "{\"borrowerId\": \"B-1\", \"fullName\": \"Ada \\u0000 Homeowner\"}"));
            TransactionOutcome outcome = ledger.commit(SERVICER, "k-1", nul);
            // The apply step checks what jsonb can hold before the block is written (StorableValues).
            assertEquals(RejectionCode.SCHEMA_VIOLATION, outcome.rejection().code());
            assertTrue(outcome.rejection().message().contains("NUL"), outcome.rejection().message());

            TransactionOutcome repeat = ledger.commit(SERVICER, "k-1", nul);
            assertTrue(repeat.repeated(), "a repeat gets the first answer");
            assertEquals(outcome.txId(), repeat.txId());
            assertEquals(1, ledger.count("SELECT count(*) FROM ledger_transaction"));
            assertTrue(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact());
        }
    }

    @Test
    void onlyWhatIsRefusedForItsValuesIsIsolated() {
        assertTrue(LedgerStore.refusesValues(new SQLException("invalid byte sequence", "22021")));
        assertTrue(LedgerStore.refusesValues(new SQLException("unsupported Unicode escape sequence", "22P05")));
        assertTrue(LedgerStore.refusesValues(new SQLException("index row size exceeds maximum", "54000")));
        assertTrue(LedgerStore.refusesValues(new SQLException("duplicate key", "23505")));
        java.sql.BatchUpdateException batch = new java.sql.BatchUpdateException("Batch entry 0 INSERT ...", null,
                new int[0]);
        batch.setNextException(new SQLException("value too long", "22001"));
        assertTrue(LedgerStore.refusesValues(batch), "a batch names the failure in its next exception");
        assertFalse(LedgerStore.refusesValues(new BlockExistsException(3, new SQLException("duplicate", "23505"))),
                "an existing block is an earlier outcome, not a refusal");
        assertFalse(LedgerStore.refusesValues(new CommitOutcomeUnknownException(3, new SQLException("io", "08006"))));
        assertFalse(LedgerStore.refusesValues(new SQLException("connection lost", "08006")));
        assertFalse(LedgerStore.refusesValues(new SQLException("shutting down", "57P01")));
        assertFalse(LedgerStore.refusesValues(new SQLException("disk full", "53100")));
        assertFalse(LedgerStore.refusesValues(new SQLException("raised by a trigger", "P0001")));
    }

    private static Operation createProperty(String id) {
        return new Operation(OperationKind.CREATE, "Property", id, null, Json.parse("""
                {"propertyId": "%s", "propertyType": "single-family",
                 "address": {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}}
                """.formatted(id)));
    }

    private static CompletableFuture<TransactionOutcome> submit(TestLedger ledger, MeshPrincipal principal,
            SourceReference source, Operation operation) {
        return ledger.ordering.submit(new Submission(UUID.randomUUID(), principal,
                new TransactionRequest(null, null, null, source, List.of(operation)))).committed();
    }

    /** Until the writer waits on the test's lock. */
    private static void awaitWriterWaiting(TestLedger ledger) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ledger.count("SELECT count(*) FROM pg_locks WHERE NOT granted") == 0) {
            assertTrue(System.nanoTime() < deadline, "the writer waits on the lock");
            Thread.sleep(10);
        }
    }
}
