package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createLoan;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.ledger.ReadReceiptRow;
import org.meshledger.persistence.ledger.ReadReceiptStore;

/** Every read that shows pii or confidential fields leaves a receipt the owning party can query. */
class ReadReceiptsTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal OLIVIA = TestLedger.principal("loan-owner", "olivia");
    private static final MeshPrincipal SELENA = TestLedger.principal("securitizer", "selena");

    @Test
    void readsOfClassifiedFieldsAreReceiptedForTheOwner() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, createLoan("L-1"));
            ReadReceiptStore receipts = new ReadReceiptStore(ledger.dataSource);
            RecordReader reader = new RecordReader(DemoNetwork.get().schema(), new AccessPolicy(), ledger.store,
                    ledger.proofs(), receipts, Clock.systemUTC());

            reader.get(OLIVIA, "Borrower", "B-1", AsOf.NOW);
            reader.get(SELENA, "Borrower", "B-1", AsOf.NOW);
            reader.get(OLIVIA, "Loan", "L-1", AsOf.NOW);
            reader.list(OLIVIA, "Borrower", new ListQuery(Map.of(), List.of(), 0, 10, AsOf.NOW));
            reader.history(SAM, "Borrower", "B-1");
            reader.proof(SELENA, "Borrower", "B-1", 1, null);
            reader.proof(SAM, "Borrower", "B-1", 1, null);

            List<ReadReceiptRow> found = receipts.ofOwner("servicer", null, null, null, null, 0, 100);
            assertEquals(List.of("proof", "history", "list", "get"), found.stream().map(ReadReceiptRow::path).toList(),
                    "newest first; the securitizer saw no classified field, the loan has none set");
            ReadReceiptRow get = found.get(3);
            assertEquals("loan-owner", get.readerParty());
            assertEquals("olivia", get.readerName());
            assertEquals("Borrower", get.type());
            assertEquals("B-1", get.id());
            assertEquals(List.of("fullName", "taxId"), get.fields());
            assertEquals("sam", found.get(0).readerName());
            assertTrue(receipts.ofOwner("loan-owner", null, null, null, null, 0, 100).isEmpty(),
                    "a party sees the receipts of its own records only");
            assertEquals(4, receipts.ofOwner("servicer", "Borrower", "B-1", null, null, 0, 100).size());
            assertTrue(receipts.ofOwner("servicer", "Borrower", "B-2", null, null, 0, 100).isEmpty());
        }
    }
}
