package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.update;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.proof.VerificationReport;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;

/**
 * Ordering applies block n+1 while block n is written. When block n cannot be written, whatever was
 * applied on top of it must not be written either, and the ledger carries on from what is committed.
 */
class OrderingPipelineTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");
    private static final int LOANS = 5;
    private static final int UPDATES = 3000;

    @Test
    void blocksAppliedOnTopOfABlockThatCannotBeWrittenAreDroppedAndTheLedgerCarriesOn() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            for (int i = 0; i < LOANS; i++) {
                ledger.commit(SERVICER, null, createLoan("L-" + i));
            }
            long failingHeight = ledger.chain.height() + 2;
            // The database refuses one block once, as a full disk or a lost connection would (a
            // sequence, unlike a table, keeps its count when the refusing transaction rolls back).
            ledger.execute("""
                    CREATE SEQUENCE refusals;
                    CREATE FUNCTION refuse_block() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.height = %d THEN
                        IF nextval('refusals') = 1 THEN RAISE EXCEPTION 'the test refuses block %%', NEW.height; END IF;
                      END IF;
                      RETURN NEW;
                    END $$;
                    CREATE TRIGGER refuse_block BEFORE INSERT ON ledger_block
                      FOR EACH ROW EXECUTE FUNCTION refuse_block();""".formatted(failingHeight));

            // Updates without an expected version: each one builds on the version before it, so a
            // block written on top of a dropped one would leave a gap in the versions.
            List<CompletableFuture<TransactionOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < UPDATES; i++) {
                outcomes.add(ledger.ordering.submit(submission(update("Loan", "L-" + (i % LOANS), null,
                        "{\"termMonths\": " + (120 + i % 240) + "}"))).committed());
            }
            int committed = 0;
            int failed = 0;
            List<UUID> committedIds = new ArrayList<>();
            for (CompletableFuture<TransactionOutcome> outcome : outcomes) {
                try {
                    TransactionOutcome o = outcome.get(60, TimeUnit.SECONDS);
                    assertEquals(TransactionStatus.COMMITTED, o.status());
                    committedIds.add(o.txId());
                    committed++;
                } catch (ExecutionException e) {
                    assertInstanceOf(LedgerUnavailableException.class, e.getCause());
                    failed++;
                }
            }
            assertTrue(failed > 0, "the refused block's transactions fail");
            assertTrue(committed > 0, "the blocks after it are written");
            assertEquals(UPDATES, committed + failed);

            TransactionOutcome after = ledger.commit(SERVICER, null, update("Loan", "L-0", null, "{\"termMonths\": 99}"));
            assertEquals(TransactionStatus.COMMITTED, after.status());

            assertEquals(LOANS + committed + 1, ledger.count("SELECT count(*) FROM ledger_transaction"),
                    "exactly the acknowledged transactions are in the ledger");
            assertEquals(LOANS + committed + 1, ledger.count("SELECT sum(version) FROM record_current"),
                    "versions without a gap: nothing was built on a dropped block");
            for (UUID id : committedIds) {
                assertTrue(ledger.store.transaction(id).isPresent(), "acknowledged transaction " + id + " is there");
            }
            VerificationReport report = new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify();
            assertTrue(report.intact(), String.valueOf(report.problem()));
            assertEquals(ledger.chain.height(), report.blocks());
        }
    }

    private static Submission submission(org.meshledger.ledger.transaction.Operation operation) {
        return new Submission(UUID.randomUUID(), SERVICER,
                new TransactionRequest(null, null, null, null, List.of(operation)));
    }
}
