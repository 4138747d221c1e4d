package org.meshledger.connect.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshledger.connect.testkit.Await;
import org.meshledger.connect.testkit.ConnectorsHarness;
import org.meshledger.connect.testkit.DecoyServer;
import org.meshledger.connect.testkit.EmbeddedLedger;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.connector.DeadLetterRow;
import org.meshledger.persistence.health.ConnectorStatusBoard;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The loan owner's Dynamics 365 against a fake that speaks the Dataverse Web API, with the ledger on
 * a real PostgreSQL: payments and loans out under its own names and option-set codes, its guidance in,
 * with change tracking kept across restarts, and the faults the service brings (throttling, 5xx,
 * timeouts, expired tokens and delta links, malformed pages, refused records, links to another host).
 */
class DynamicsConnectorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static final String CONNECTORS = """
            {"connectors": [{"id": "owner-dynamics", "kind": "dynamics", "party": "loan-owner", "system": "dynamics",
              "settings": {"url": "${DV_URL}", "tokenUrl": "${DV_TOKEN_URL}", "clientId": "meshledger-dataverse-client",
                           "clientSecret": "${DV_SECRET}", "pollMs": 100, "pageSize": 2, "timeoutMs": 1000,
                           "maxThrottleWaitMs": 3000},
              "retry": {"maxAttempts": 4, "firstDelayMs": 50, "maxDelayMs": 200},
              "mappings": [
                {"type": "Payment", "object": "new_payments", "direction": "outbound", "primaryId": "new_paymentid",
                 "fields": {"paymentId": "new_meshledgerid", "loanNumber": "new_loannumber", "dueDate": "new_duedate",
                            "scheduledAmount": {"system": "new_amountdue", "currency": "USD"},
                            "status": {"system": "new_paymentstatus", "systemType": "number",
                                       "values": {"100000000": "scheduled", "100000001": "received",
                                                  "100000002": "partial", "100000003": "missed", "100000004": "reversed"}}}},
                {"type": "Loan", "object": "new_loans", "primaryId": "new_loanid",
                 "fields": {"loanNumber": "new_loannumber", "servicingGuidance": "new_guidance",
                            "status": {"system": "new_loanstatus", "direction": "outbound"}}}
              ]}]}
            """;

    private EmbeddedLedger ledger;
    private FakeDataverse dataverse;
    private ConnectorsHarness connectors;

    @BeforeEach
    void start() throws Exception {
        ledger = EmbeddedLedger.fresh();
        dataverse = FakeDataverse.start(0).table("new_payments", "new_paymentid", "new_meshledgerid")
                .table("new_loans", "new_loanid", "new_loannumber");
        connectors = startConnectors();
    }

    private ConnectorsHarness startConnectors() throws Exception {
        return ConnectorsHarness.start(ledger, CONNECTORS, Map.of("DV_URL", dataverse.url(), "DV_TOKEN_URL",
                dataverse.tokenUrl(), "DV_SECRET", FakeDataverse.CLIENT_SECRET));
    }

    @AfterEach
    void stop() throws Exception {
        connectors.close();
        dataverse.close();
        ledger.close();
    }

    private void servicerCreatesLoan(String loan) {
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.CREATE, "Loan", loan, 0,
                Json.parse("""
                        {"loanNumber": "%s", "borrowerId": "B-1", "propertyId": "P-1", "status": "current",
                         "originalPrincipal": {"amount": "250000.00", "currency": "USD"}, "interestRate": "6.125",
                         "termMonths": 360, "originationDate": "2025-01-15"}""".formatted(loan))));
    }

    private void servicerRecordsPayment(String payment, String status) {
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.CREATE, "Payment", payment, 0,
                Json.parse("""
                        {"paymentId": "%s", "loanNumber": "L-1", "dueDate": "2026-11-01", "status": "%s",
                         "scheduledAmount": {"amount": "1500.00", "currency": "USD"}}""".formatted(payment, status))));
    }

    private ObjectNode awaitDataverse(String set, String key) {
        return Await.until(set + " " + key + " in Dataverse", WAIT, () -> dataverse.record(set, key), r -> r != null);
    }

    @Test
    void committedPaymentsAreUpsertedByAlternateKeyUnderItsOwnNamesAndCodes() throws Exception {
        servicerRecordsPayment("PAY-1", "missed");
        ObjectNode row = awaitDataverse("new_payments", "PAY-1");
        assertEquals("L-1", row.path("new_loannumber").asText());
        assertEquals("2026-11-01", row.path("new_duedate").asText());
        assertEquals(100000003, row.path("new_paymentstatus").asInt());
        assertTrue(row.path("new_paymentstatus").isNumber(), "an option set holds numbers: " + row);
        assertEquals(0, new java.math.BigDecimal("1500").compareTo(row.path("new_amountdue").decimalValue()));

        // The next change updates the same record (If-Match: *), with only what changed.
        int patches = dataverse.count("patch");
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-1",
                null, Json.object().put("status", "received")));
        Await.until("PAY-1 received in Dataverse", WAIT,
                () -> dataverse.record("new_payments", "PAY-1").path("new_paymentstatus").asInt() == 100000001);
        assertEquals(patches + 1, dataverse.count("patch"));
        assertEquals(1, dataverse.size("new_payments"));
    }

    @Test
    void guidanceWrittenInDynamicsReachesTheLedgerWithItsLineageAndIsNotEchoed() throws Exception {
        servicerCreatesLoan("L-7");
        awaitDataverse("new_loans", "L-7");
        int patches = dataverse.count("patch");
        String guid = dataverse.userChange("new_loans", "L-7", Json.object().put("new_guidance",
                "Offer a repayment plan before any referral."));
        JsonNode loan = Await.until("the guidance in the ledger", WAIT, () -> ledger.state("Loan", "L-7"),
                s -> s.has("servicingGuidance"));
        assertEquals("Offer a repayment plan before any referral.", loan.path("servicingGuidance").asText());
        TransactionRow tx = ledger.core().store().transaction(ledger.current("Loan", "L-7").txId()).orElseThrow();
        assertEquals("loan-owner", tx.party());
        assertEquals("owner-dynamics", tx.principalName());
        assertEquals("dynamics", tx.sourceSystem());
        assertEquals("new_loans/" + guid, tx.sourceReference());
        Thread.sleep(500); // several polls and outbound rounds
        assertEquals(patches, dataverse.count("patch"), "its own change is not written back to Dynamics");
        assertEquals(2, ledger.current("Loan", "L-7").version(), "polled again and again, committed once");
    }

    @Test
    void theDeltaLinkIsKeptAcrossRestartsAndAnExpiredOneStartsOver() throws Exception {
        servicerCreatesLoan("L-8");
        awaitDataverse("new_loans", "L-8");
        Await.until("a delta link to be kept", WAIT, () -> connectors.store().cursor("owner-dynamics",
                "delta:new_loans").isPresent());
        connectors.close();
        dataverse.userChange("new_loans", "L-8", Json.object().put("new_guidance", "Waive the late fee."));
        connectors = startConnectors();
        Await.until("the change made while the node was down", WAIT,
                () -> "Waive the late fee.".equals(ledger.state("Loan", "L-8").path("servicingGuidance").asText()));
        assertTrue(connectors.store().cursor("owner-dynamics", "delta:new_loans").orElseThrow().contains("$deltatoken="));

        // Change tracking data cleaned up: the stored link answers 410 Gone; the set is read again, nothing twice.
        long versions = ledger.count("SELECT count(*) FROM record_version");
        dataverse.forgetChanges();
        for (int i = 0; i < 5; i++) {
            dataverse.userChange("new_loans", "L-90" + i, Json.object().put("new_guidance", "note " + i));
        }
        dataverse.userChange("new_loans", "L-8", Json.object().put("new_guidance", "Waive the late fee twice."));
        Await.until("the newer guidance after reading everything again", WAIT,
                () -> "Waive the late fee twice.".equals(ledger.state("Loan", "L-8").path("servicingGuidance").asText()));
        assertEquals(versions + 1, ledger.count("SELECT count(*) FROM record_version"),
                "one new version; the loans it cannot create are dead letters, not versions");
        List<DeadLetterRow> letters = Await.until("the five unknown loans dead-lettered", WAIT,
                () -> connectors.openDeadLetters("owner-dynamics"), l -> l.size() == 5);
        assertTrue(letters.get(0).reason().matches("new_loans [0-9a-f-]{36} \\(Loan/L-90[0-4]\\): The transaction does not "
                + "fit the network's schema .*required property 'borrowerId'.*"), letters.get(0).reason());
    }

    @Test
    void throttlingServerErrorsTimeoutsAndExpiredTokensLoseNothing() throws Exception {
        dataverse.tokenLifetime(Duration.ofSeconds(61)); // the client renews a minute before expiry: each call
        dataverse.throttleNext(2, 1);
        servicerRecordsPayment("PAY-20", "scheduled");
        awaitDataverse("new_payments", "PAY-20");
        assertTrue(dataverse.count("429") >= 2);

        dataverse.failNext(2, 503);
        servicerRecordsPayment("PAY-21", "scheduled");
        awaitDataverse("new_payments", "PAY-21");

        dataverse.slowNext(1, Duration.ofMillis(1500));
        servicerRecordsPayment("PAY-22", "scheduled");
        awaitDataverse("new_payments", "PAY-22");

        dataverse.tokenLifetime(Duration.ofHours(1));
        int tokens = dataverse.count("token");
        dataverse.expireTokens();
        servicerRecordsPayment("PAY-23", "scheduled");
        awaitDataverse("new_payments", "PAY-23");
        assertTrue(dataverse.count("401") >= 1);
        assertTrue(dataverse.count("token") > tokens, "a new token after the 401");

        dataverse.malformedNext(1);
        servicerCreatesLoan("L-30");
        awaitDataverse("new_loans", "L-30");
        dataverse.userChange("new_loans", "L-30", Json.object().put("new_guidance", "after a malformed page"));
        Await.until("the guidance after the malformed page", WAIT,
                () -> ledger.state("Loan", "L-30").path("servicingGuidance").asText().equals("after a malformed page"));

        assertEquals(4, dataverse.size("new_payments"));
        assertTrue(connectors.openDeadLetters("owner-dynamics").isEmpty(), "nothing dead-lettered: it all got through");
        assertTrue(ConnectorStatusBoard.get("owner-dynamics").orElseThrow().errors() > 0);
    }

    @Test
    void aRecordDynamicsRefusesIsDeadLetteredWithItsErrorAndReplayedOnceItIsTaken() throws Exception {
        dataverse.refuse("new_paymentstatus", "100000004", "Reversed payments need an approval (plug-in rule).");
        servicerRecordsPayment("PAY-40", "reversed");
        DeadLetterRow letter = Await.until("PAY-40 dead-lettered", WAIT, () -> connectors.openDeadLetters(
                "owner-dynamics"), l -> !l.isEmpty()).get(0);
        assertEquals("0x80040265", letter.reasonCode());
        assertTrue(letter.reason().contains("Reversed payments need an approval"), letter.reason());
        assertNull(dataverse.record("new_payments", "PAY-40"));

        dataverse.clearRefusals();
        var outcome = connectors.runtime().replay("owner-dynamics", letter.id(), "loan-owner/olivia");
        assertTrue(outcome.replayed(), outcome.toString());
        assertNotNull(dataverse.record("new_payments", "PAY-40"));
        assertEquals(100000004, dataverse.record("new_payments", "PAY-40").path("new_paymentstatus").asInt());
    }

    @Test
    void aLinkToAnotherHostIsRefusedWithItsPageAndTheTokenNeverGoesThere() throws Exception {
        try (DecoyServer decoy = DecoyServer.start()) {
            String decoyHost = decoy.url().substring("http://".length());
            servicerCreatesLoan("L-60");
            awaitDataverse("new_loans", "L-60");
            Await.until("a delta link to be kept", WAIT, () -> connectors.store().cursor("owner-dynamics",
                    "delta:new_loans").isPresent());

            // The answer's delta link names another host: the page is refused, as a malformed one is.
            long errors = ConnectorStatusBoard.get("owner-dynamics").orElseThrow().errors();
            dataverse.foreignLinksNext(1, decoy.url());
            dataverse.userChange("new_loans", "L-60", Json.object().put("new_guidance", "after a foreign link"));
            var refused = Await.until("the page refused", WAIT, () -> ConnectorStatusBoard.get("owner-dynamics")
                    .orElseThrow(), st -> st.errors() > errors && st.lastError() != null
                            && st.lastError().contains(decoyHost));
            assertTrue(refused.lastError().matches("cannot read new_loans: refused the @odata\\.deltaLink http://"
                    + java.util.regex.Pattern.quote(decoyHost) + "/api/data/v9\\.2/new_loans\\?.*: host http://"
                    + java.util.regex.Pattern.quote(decoyHost) + " is not the configured environment's "
                    + "http://127\\.0\\.0\\.1:\\d+; nothing was sent there; polling again"), refused.lastError());
            Await.until("the guidance on the next poll, from the configured host", WAIT,
                    () -> "after a foreign link".equals(ledger.state("Loan", "L-60").path("servicingGuidance").asText()));
            assertTrue(connectors.store().cursor("owner-dynamics", "delta:new_loans").orElseThrow()
                    .startsWith(dataverse.url() + "/"), "a link elsewhere is never kept");

            // A kept delta link on another host (an older node's) is dropped, never followed: the set is read again.
            connectors.close();
            connectors.store().saveCursor("owner-dynamics", "delta:new_loans", decoy.url()
                    + "/api/data/v9.2/new_loans?$select=new_loannumber&$deltatoken=1");
            dataverse.userChange("new_loans", "L-60", Json.object().put("new_guidance", "read from the start"));
            connectors = startConnectors();
            Await.until("the set read again from the configured host", WAIT,
                    () -> "read from the start".equals(ledger.state("Loan", "L-60").path("servicingGuidance").asText()));
            String lastError = ConnectorStatusBoard.get("owner-dynamics").orElseThrow().lastError();
            assertTrue(lastError.contains("refused the kept delta link http://" + decoyHost + "/")
                    && lastError.contains("; reading new_loans from the start"), lastError);
            assertEquals(List.of(), decoy.received(), "nothing reached the other host");
            assertTrue(connectors.openDeadLetters("owner-dynamics").isEmpty());
        }
    }

    @Test
    void onlyUrlsUnderTheConfiguredWebApiRootAreTrusted() {
        java.net.URI root = java.net.URI.create("https://contoso.crm.dynamics.com/api/data/v9.2/");
        for (String good : List.of("https://contoso.crm.dynamics.com/api/data/v9.2/new_loans?$deltatoken=9",
                "https://CONTOSO.crm.dynamics.com:443/api/data/v9.2/new_loans?$skiptoken=1")) {
            assertEquals(good, DataverseClient.trusted(good, root, "a link").toString());
        }
        for (String bad : List.of("https://evil.example/api/data/v9.2/new_loans",
                "http://contoso.crm.dynamics.com/api/data/v9.2/new_loans",
                "https://contoso.crm.dynamics.com:8443/api/data/v9.2/new_loans",
                "https://contoso.crm.dynamics.com.evil.example/api/data/v9.2/new_loans",
                "https://user@contoso.crm.dynamics.com/api/data/v9.2/new_loans",
                "https://contoso.crm.dynamics.com/api/data/v9.1/new_loans",
                "https://contoso.crm.dynamics.com/api/data/v9.2/../../_admin",
                "https://contoso.crm.dynamics.com/api/data/v9.2/%2e%2e/%2e%2e/_admin",
                "/api/data/v9.2/new_loans", "https://contoso.crm.dynamics.com/api/data/v9.2/new loans")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(DataverseUntrustedLinkException.class,
                    () -> DataverseClient.trusted(bad, root, "the link " + bad), bad);
            assertTrue(e.getMessage().startsWith("refused the link " + bad + ": ")
                    && e.getMessage().endsWith("; nothing was sent there"), e.getMessage());
        }
    }
}
