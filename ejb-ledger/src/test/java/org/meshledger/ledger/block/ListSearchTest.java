package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.ledger.AsOf;

/** Searching lists: starts-with and one-of conditions, held to the same access rules as filters. */
class ListSearchTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SECURITIZER = TestLedger.principal("securitizer", "selena");

    private static Operation borrower(String id, String name) {
        return new Operation(OperationKind.CREATE, "Borrower", id, null, Json.parse("""
                {"borrowerId": "%s", "fullName": "%s"}""".formatted(id, name)));
    }

    private static RecordReader reader(TestLedger ledger) {
        return new RecordReader(DemoNetwork.get().schema(), new AccessPolicy(), ledger.store, ledger.proofs(),
                new org.meshledger.persistence.ledger.ReadReceiptStore(ledger.dataSource), java.time.Clock.systemUTC());
    }

    private static List<String> ids(RecordPage page) {
        return page.items().stream().map(RecordView::id).toList();
    }

    @Test
    void prefixesIgnoreCaseTakeLikeCharactersLiterallyAndCountWhatTheyMatch() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, borrower("B-1", "Ada Lovelace"), borrower("B-2", "adam Smith"),
                    borrower("B-3", "Grace Hopper"), borrower("B-4", "Ad%_ Percent"), borrower("B-10", "Alan Kay"));
            RecordReader reader = reader(ledger);

            RecordPage ada = reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of("fullName", "ADA"), Map.of(),
                    List.of("fullName"), 0, 50, AsOf.NOW));
            assertEquals(List.of("B-1", "B-2"), ids(ada));
            assertEquals(2, ada.total());

            RecordPage literal = reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of("fullName", "ad%_"),
                    Map.of(), List.of(), 0, 50, AsOf.NOW));
            assertEquals(List.of("B-4"), ids(literal), "% and _ are text, not wildcards");
            for (String injection : List.of("x' OR '1'='1", "\\' OR true --", "a'); DELETE FROM record_current; --")) {
                assertEquals(0, reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of("fullName", injection),
                        Map.of(), List.of(), 0, 50, AsOf.NOW)).total(), injection);
            }
            assertEquals(5, reader.list(SAM, "Borrower", new ListQuery(Map.of(), List.of(), 0, 50, AsOf.NOW)).total());

            RecordPage byKey = reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of("borrowerId", "b-1"),
                    Map.of(), List.of(), 0, 50, AsOf.NOW));
            assertEquals(List.of("B-1", "B-10"), ids(byKey), "the key field searches the record id");
        }
    }

    @Test
    void theSchemasListIndexesAreMadeOnceAndServeTheSameAnswers() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, borrower("B-1", "Ada"), borrower("B-2", "ada b"), borrower("B-3", "Cy"),
                    loan("L-1", "B-1", "current"), loan("L-2", "B-2", "delinquent"), loan("L-3", "B-3", "current"));
            for (int run = 0; run < 2; run++) { // a second start finds them there
                for (var type : DemoNetwork.get().schema().types()) {
                    Map<String, Boolean> fields = new java.util.LinkedHashMap<>();
                    type.indexes().forEach(f -> fields.put(f, type.isNumeric(f)));
                    ledger.store.ensureListIndexes(type.name(), fields);
                }
            }
            try (var c = ledger.dataSource.getConnection(); var rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_indexes WHERE indexname IN ('list_loan_status', "
                            + "'list_borrower_fullname_prefix', 'list_delinquency_dayspastdue')")) {
                rs.next();
                assertEquals(3, rs.getInt(1), "a value index per field, a prefix index per text field");
            }
            RecordReader reader = reader(ledger);
            assertEquals(List.of("L-1", "L-3", "L-2"), ids(reader.list(SAM, "Loan", new ListQuery(Map.of(),
                    List.of("status"), 0, 50, AsOf.NOW))));
            assertEquals(List.of("L-2", "L-3", "L-1"), ids(reader.list(SAM, "Loan", new ListQuery(Map.of(),
                    List.of("-status"), 0, 50, AsOf.NOW))), "ties follow the first key's direction");
            assertEquals(List.of("B-1", "B-2"), ids(reader.list(SAM, "Borrower", new ListQuery(Map.of(),
                    Map.of("fullName", "ada"), Map.of(), List.of(), 0, 50, AsOf.NOW))));
            assertEquals(List.of("L-2"), ids(reader.list(SAM, "Loan", new ListQuery(Map.of(), List.of("status"), 2, 1,
                    AsOf.NOW))), "a deep page: the third in order");
        }
    }

    @Test
    void oneOfMatchesAnyValueAndAnEmptyListMatchesNothing() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, borrower("B-1", "Ada"), borrower("B-2", "Bea"), borrower("B-3", "Cy"));
            RecordReader reader = reader(ledger);

            assertEquals(List.of("B-1", "B-3"), ids(reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of(),
                    Map.of("borrowerId", List.of("B-3", "B-1", "B-404")), List.of(), 0, 50, AsOf.NOW))));
            assertEquals(List.of("B-2"), ids(reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of(),
                    Map.of("fullName", List.of("Bea")), List.of(), 0, 50, AsOf.NOW))));
            assertEquals(0, reader.list(SAM, "Borrower", new ListQuery(Map.of(), Map.of(),
                    Map.of("borrowerId", List.of()), List.of(), 0, 50, AsOf.NOW)).total());
        }
    }

    private static Operation loan(String number, String borrowerId, String status) {
        return new Operation(OperationKind.CREATE, "Loan", number, null, Json.parse("""
                {"loanNumber": "%s", "borrowerId": "%s", "propertyId": "P-1",
                 "originalPrincipal": {"amount": "100000.00", "currency": "USD"},
                 "interestRate": "5.0", "termMonths": 360, "originationDate": "2024-01-01", "status": "%s"}
                """.formatted(number, borrowerId, status)));
    }

    @Test
    void countsByAFieldCountWhatTheReaderMaySeeOnlyInOneQuery() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, borrower("B-1", "Ada"), borrower("B-2", "Bea"),
                    loan("L-1", "B-1", "current"), loan("L-2", "B-1", "delinquent"), loan("L-3", "B-2", "delinquent"),
                    loan("L-4", "B-2", "current"), loan("L-5", "B-2", "delinquent"));
            RecordReader reader = reader(ledger);
            MeshPrincipal ada = new MeshPrincipal(new org.meshledger.ledger.identity.PartyId("home-owner"),
                    org.meshledger.ledger.identity.PrincipalKind.USER, "ada", "sub-ada",
                    java.util.Set.of(org.meshledger.ledger.identity.Role.VIEWER), "Borrower/B-1");

            assertEquals(Map.of("current", 2L, "delinquent", 3L), reader.countBy(SAM, "Loan",
                    new ListQuery(Map.of(), List.of(), 0, 1, AsOf.NOW), "status"));
            assertEquals(Map.of("current", 1L, "delinquent", 1L), reader.countBy(ada, "Loan",
                    new ListQuery(Map.of(), List.of(), 0, 1, AsOf.NOW), "status"), "her own loans only");
            assertEquals(Map.of("delinquent", 2L), reader.countBy(SAM, "Loan", new ListQuery(Map.of("status",
                    "delinquent"), Map.of(), Map.of("borrowerId", List.of("B-2")), List.of(), 0, 1, AsOf.NOW), "status"),
                    "with the list's conditions");
            assertThrows(InvalidQueryException.class, () -> reader.countBy(SECURITIZER, "Borrower",
                    new ListQuery(Map.of(), List.of(), 0, 1, AsOf.NOW), "fullName"), "not by a field it may not read");
        }
    }

    @Test
    void aPageLearnsOfChangesOnlyToRecordsItsReaderMaySee() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, borrower("B-1", "Ada"), borrower("B-2", "Bea"),
                    loan("L-1", "B-1", "current"), loan("L-2", "B-2", "current"));
            RecordReader reader = reader(ledger);
            MeshPrincipal ada = new MeshPrincipal(new org.meshledger.ledger.identity.PartyId("home-owner"),
                    org.meshledger.ledger.identity.PrincipalKind.USER, "ada", "sub-ada",
                    java.util.Set.of(org.meshledger.ledger.identity.Role.VIEWER), "Borrower/B-1");
            long shown = reader.get(SAM, "Loan", "L-2", AsOf.NOW).blockHeight();
            assertEquals(false, reader.changedAfter(SAM, "Loan", List.of("L-1", "L-2"), shown));

            ledger.commit(SAM, null, new Operation(OperationKind.UPDATE, "Loan", "L-2", null,
                    Json.parse("{\"status\": \"delinquent\"}")));

            assertEquals(true, reader.changedAfter(SAM, "Loan", List.of("L-1", "L-2"), shown));
            assertEquals(false, reader.changedAfter(ada, "Loan", List.of("L-1", "L-2"), shown),
                    "another borrower's loan changing tells her nothing");
            ledger.commit(SAM, null, new Operation(OperationKind.UPDATE, "Loan", "L-1", null,
                    Json.parse("{\"status\": \"delinquent\"}")));
            assertEquals(true, reader.changedAfter(ada, "Loan", List.of("L-1"), shown), "her own does");
        }
    }

    @Test
    void aPartyCannotSearchAFieldItMayNotRead() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, borrower("B-1", "Ada"));
            RecordReader reader = reader(ledger);

            InvalidQueryException byPrefix = assertThrows(InvalidQueryException.class, () -> reader.list(SECURITIZER,
                    "Borrower", new ListQuery(Map.of(), Map.of("fullName", "A"), Map.of(), List.of(), 0, 50, AsOf.NOW)));
            assertTrue(byPrefix.getMessage().contains("fullName"), byPrefix.getMessage());
            assertThrows(InvalidQueryException.class, () -> reader.list(SECURITIZER, "Borrower", new ListQuery(Map.of(),
                    Map.of(), Map.of("fullName", List.of("Ada")), List.of(), 0, 50, AsOf.NOW)));
            assertEquals(List.of("B-1"), ids(reader.list(SECURITIZER, "Borrower", new ListQuery(Map.of(),
                    Map.of("borrowerId", "B-"), Map.of(), List.of(), 0, 50, AsOf.NOW))), "ids it reads, it searches");
        }
    }
}
