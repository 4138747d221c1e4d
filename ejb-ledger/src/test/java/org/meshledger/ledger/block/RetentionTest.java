package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.query.RetentionReport;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.TransactionStatus;

/**
 * x-retention enforced: a borrower's tax id, date of birth and contacts are kept seven years after
 * all the borrower's loans closed (the demo schema's "loan-closed" event, via ^Loan.borrowerId).
 */
class RetentionTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final PartyId SERVICER = new PartyId("servicer");

    private static Operation loan(String loanNumber, String borrower) {
        return new Operation(OperationKind.CREATE, "Loan", loanNumber, null, Json.parse("""
                {"loanNumber": "%s", "borrowerId": "%s", "propertyId": "P-1",
                 "originalPrincipal": {"amount": "320000.00", "currency": "USD"}, "interestRate": "6.125",
                 "termMonths": 360, "originationDate": "2024-03-01", "status": "current"}""".formatted(loanNumber,
                borrower)));
    }

    private static RetentionReport report(TestLedger ledger, Duration later) {
        return new RetentionReport(DemoNetwork.get().schema(), ledger.store,
                Clock.fixed(Instant.now().plus(later), ZoneOffset.UTC));
    }

    @Test
    void aValueKeptForAPeriodAfterItWasRecordedIsReportedOnceThePeriodIsOver() throws Exception {
        com.fasterxml.jackson.databind.JsonNode root;
        try (var in = RetentionTest.class.getResourceAsStream(DemoNetwork.RESOURCE)) {
            root = Json.MAPPER.readTree(in);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.at("/schema/$defs/Borrower/properties/email"))
                .set("x-retention", Json.parse("{\"period\": \"P30D\", \"after\": \"recorded\"}"));
        org.meshledger.ledger.network.NetworkDefinition network = new org.meshledger.ledger.network.NetworkLoader()
                .load(new java.io.ByteArrayInputStream(Json.write(root).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        "thirty days of email");
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, createBorrower("B-2"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 1, "{\"email\": \"ada@example.org\"}"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 2, "{\"email\": null}"));

            Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
            List<RetentionReport.Expired> expired = new RetentionReport(network.schema(), ledger.store, later)
                    .expired(SERVICER, 100);

            assertEquals(1, expired.size(), expired.toString());
            assertEquals("B-1", expired.get(0).id());
            assertEquals(List.of("email"), expired.get(0).fields(), "held by an earlier version, still past retention");
            assertTrue(new RetentionReport(network.schema(), ledger.store, Clock.systemUTC()).expired(SERVICER, 100)
                    .isEmpty(), "not yet");
        }
    }

    @Test
    void valuesArePastRetentionSevenYearsAfterAllTheBorrowersLoansClosed() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, createBorrower("B-2"));
            ledger.commit(SAM, null, createBorrower("B-3"));
            ledger.commit(SAM, null, loan("L-1", "B-1"));
            ledger.commit(SAM, null, loan("L-2", "B-2"));
            ledger.commit(SAM, null, loan("L-3", "B-2"));
            ledger.commit(SAM, null, update("Loan", "L-1", 1, "{\"status\": \"paid-off\"}"));
            ledger.commit(SAM, null, update("Loan", "L-2", 1, "{\"status\": \"paid-off\"}"));

            assertTrue(report(ledger, Duration.ofDays(365 * 7 - 2)).expired(SERVICER, 100).isEmpty(),
                    "not before seven years");
            List<RetentionReport.Expired> expired = report(ledger, Duration.ofDays(365 * 7 + 3)).expired(SERVICER, 100);
            assertEquals(List.of("B-1"), expired.stream().map(RetentionReport.Expired::id).toList(),
                    "B-2 has a loan still open, B-3 has none that closed");
            assertEquals(List.of("taxId"), expired.get(0).fields(), "the fields it holds that are past retention");
            assertTrue(report(ledger, Duration.ofDays(365 * 8)).expired(new PartyId("loan-owner"), 100).isEmpty(),
                    "a party is told of its own records only");

            MeshPrincipal sonia = new MeshPrincipal(SERVICER, PrincipalKind.USER, "sonia", "sub-sonia",
                    Set.of(Role.PARTY_ADMIN));
            assertEquals(TransactionStatus.COMMITTED, ledger.commit(sonia, null, new Operation(OperationKind.PURGE,
                    "Borrower", "B-1", null, Json.parse("{\"fields\": [\"taxId\"], \"reason\": \"retention\"}")))
                    .status());
            assertTrue(report(ledger, Duration.ofDays(365 * 8)).expired(SERVICER, 100).isEmpty(),
                    "once purged, nothing is left to report (the borrower held no other dated field)");
        }
    }
}
