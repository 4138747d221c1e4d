package org.meshledger.connect.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
 * The servicer's Salesforce with the real camel-salesforce (its OAuth session, REST client and CometD
 * Streaming API client) against a fake org that speaks those APIs, and the ledger on PostgreSQL:
 * Change Data Capture in with replay ids kept across restarts, upserts out by external id, and the
 * faults an org brings (expired sessions, replay ids out of retention, validation rules, an instance URL
 * on a host it is not configured to trust).
 */
class SalesforceConnectorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static final String CONNECTORS = """
            {"connectors": [{"id": "servicer-salesforce", "kind": "salesforce", "party": "servicer",
              "settings": {"loginUrl": "${SF_URL}", "clientId": "meshledger-connected-app",
                           "clientSecret": "${SF_SECRET}", "timeoutMs": 5000},
              "retry": {"maxAttempts": 4, "firstDelayMs": 100, "maxDelayMs": 500},
              "mappings": [
                {"type": "Payment", "object": "Payment__c",
                 "fields": {"paymentId": "MeshLedger_Id__c", "loanNumber": "Loan_Number__c", "dueDate": "Due_Date__c",
                            "scheduledAmount": {"system": "Amount_Due__c", "currencyField": "CurrencyIsoCode"},
                            "status": {"system": "Status__c", "values": {"Scheduled": "scheduled",
                                       "Received": "received", "Partial": "partial", "Missed": "missed",
                                       "Reversed": "reversed"}}},
                 "metadataFields": ["CreatedDate", "LastModifiedDate"]},
                {"type": "Borrower", "object": "Contact",
                 "fields": {"borrowerId": "MeshLedger_Id__c", "fullName": "Name", "email": "Email", "phone": "Phone",
                            "taxId": {"system": "Tax_Id__c", "direction": "outbound"},
                            "mailingAddress.city": "MailingCity"}},
                {"type": "AssistancePlan", "object": "Case",
                 "fields": {"planId": "MeshLedger_Id__c", "loanNumber": "Loan_Number__c", "offeredDate": "Offered_Date__c",
                            "terms": "Description",
                            "kind": {"system": "Type", "values": {"Forbearance": "forbearance",
                                     "Repayment Plan": "repayment-plan", "Loan Modification": "modification"}},
                            "status": {"system": "Status", "values": {"Offered": "offered", "Accepted": "accepted",
                                       "Declined": "declined", "Active": "active", "Closed": "completed",
                                       "Cancelled": "cancelled"}}}}
              ]}]}
            """;

    private EmbeddedLedger ledger;
    private FakeSalesforce salesforce;
    private ConnectorsHarness connectors;

    @BeforeEach
    void start() throws Exception {
        ledger = EmbeddedLedger.fresh();
        salesforce = FakeSalesforce.start(0).object("Payment__c", "MeshLedger_Id__c").object("Contact", "MeshLedger_Id__c")
                .object("Case", "MeshLedger_Id__c");
        connectors = startConnectors();
        awaitSubscribed();
    }

    private ConnectorsHarness startConnectors() throws Exception {
        return ConnectorsHarness.start(ledger, CONNECTORS, Map.of("SF_URL", salesforce.url(), "SF_SECRET",
                FakeSalesforce.CLIENT_SECRET));
    }

    private void awaitSubscribed() {
        int subscribes = salesforce.count("subscribe");
        Await.until("a subscription", WAIT, () -> salesforce.count("subscribe") > 0 && salesforce.count("connect") > 0);
        assertTrue(subscribes >= 0);
    }

    @AfterEach
    void stop() throws Exception {
        connectors.close();
        salesforce.close();
        ledger.close();
    }

    static ObjectNode payment(String loan, String status) {
        return Json.object().put("Loan_Number__c", loan).put("Due_Date__c", "2026-11-01").put("Amount_Due__c", 1500.00)
                .put("CurrencyIsoCode", "USD").put("Status__c", status);
    }

    private JsonNode awaitLedger(String id, String status) {
        return Await.until("Payment " + id + " " + status + " in the ledger", WAIT, () -> ledger.state("Payment", id),
                s -> s != null && s.path("status").asText().equals(status));
    }

    @Test
    void changeDataCaptureBecomesLedgerChangesWithTheirLineage() throws Exception {
        String sfId = salesforce.userChange("Payment__c", "PAY-S1", payment("L-1", "Scheduled"));
        JsonNode created = awaitLedger("PAY-S1", "scheduled");
        assertEquals("1500.00", created.path("scheduledAmount").path("amount").asText());
        TransactionRow tx = ledger.core().store().transaction(ledger.current("Payment", "PAY-S1").txId()).orElseThrow();
        assertEquals("servicer-salesforce", tx.principalName());
        assertEquals("salesforce", tx.sourceSystem());
        assertEquals("Payment__c/" + sfId, tx.sourceReference());

        // An update event carries only what changed (and no external id): found through the link.
        salesforce.userChange("Payment__c", "PAY-S1", Json.object().put("Status__c", "Missed"));
        awaitLedger("PAY-S1", "missed");
        assertEquals(2, ledger.current("Payment", "PAY-S1").version());
        assertEquals(String.valueOf(salesforce.lastReplayId()), Await.until("the replay id kept", WAIT,
                () -> connectors.store().cursor("servicer-salesforce", "replay:/data/Payment__ChangeEvent").orElse(""),
                r -> r.equals(String.valueOf(salesforce.lastReplayId()))));
    }

    @Test
    void ledgerChangesAreUpsertedByExternalIdAndTheirEventsAreNotTakenBack() throws Exception {
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.CREATE, "Payment", "PAY-S2", 0,
                Json.parse("""
                        {"paymentId": "PAY-S2", "loanNumber": "L-2", "dueDate": "2026-12-01", "status": "scheduled",
                         "scheduledAmount": {"amount": "980.50", "currency": "USD"}}""")));
        ObjectNode record = Await.until("PAY-S2 in Salesforce", WAIT, () -> salesforce.record("Payment__c", "PAY-S2"),
                r -> r != null);
        assertEquals("Scheduled", record.path("Status__c").asText());
        assertEquals("L-2", record.path("Loan_Number__c").asText());
        assertEquals(0, new java.math.BigDecimal("980.5").compareTo(record.path("Amount_Due__c").decimalValue()));
        assertEquals("USD", record.path("CurrencyIsoCode").asText());
        assertTrue(salesforce.count("upsert") >= 1);

        Thread.sleep(3000); // the write's change event comes back over the stream
        assertEquals(1, ledger.current("Payment", "PAY-S2").version(), "its own write is not taken back in");
    }

    @Test
    void aRestartResumesFromTheKeptReplayIdAndAReplayIdOutOfRetentionFallsBackToAllRetainedEvents()
            throws Exception {
        salesforce.userChange("Payment__c", "PAY-S3", payment("L-3", "Scheduled"));
        awaitLedger("PAY-S3", "scheduled");
        Await.until("the replay id kept", WAIT, () -> connectors.store().cursor("servicer-salesforce",
                "replay:/data/Payment__ChangeEvent").isPresent());
        connectors.close();

        salesforce.userChange("Payment__c", "PAY-S3", Json.object().put("Status__c", "Partial"));
        connectors = startConnectors();
        awaitLedger("PAY-S3", "partial");
        assertEquals(2, ledger.current("Payment", "PAY-S3").version(), "the event before the kept id is not taken again");
        connectors.close();

        // Down longer than the retention: the kept replay id is refused, the retained events are taken.
        salesforce.userChange("Payment__c", "PAY-S3", Json.object().put("Status__c", "Missed"));
        long lost = salesforce.lastReplayId();
        salesforce.userChange("Payment__c", "PAY-S3", Json.object().put("Status__c", "Received"));
        salesforce.forgetEventsUpTo(lost);
        connectors = startConnectors();
        awaitLedger("PAY-S3", "received");
        assertEquals(3, ledger.current("Payment", "PAY-S3").version(), "the retained event once (the other is gone)");
        assertTrue(connectors.openDeadLetters("servicer-salesforce").isEmpty());
    }

    @Test
    void anExpiredSessionIsRenewedOnceForTheStreamAndForWrites() throws Exception {
        salesforce.userChange("Payment__c", "PAY-S4", payment("L-4", "Scheduled"));
        awaitLedger("PAY-S4", "scheduled");
        int logins = salesforce.count("login");
        salesforce.expireSessions();
        salesforce.userChange("Payment__c", "PAY-S4", Json.object().put("Status__c", "Missed"));
        awaitLedger("PAY-S4", "missed");
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-S4",
                null, Json.object().put("status", "partial")));
        Await.until("the write after the session expired", WAIT,
                () -> "Partial".equals(salesforce.record("Payment__c", "PAY-S4").path("Status__c").asText()));
        Thread.sleep(3000);
        int renewals = salesforce.count("login") - logins;
        assertTrue(renewals >= 1 && renewals <= 3, "renewed, without a login loop: " + renewals + " logins");
        int handshakes = salesforce.count("handshake");
        Thread.sleep(3000);
        assertTrue(salesforce.count("handshake") - handshakes <= 1, "no reconnect loop");
    }

    @Test
    void theBorrowerIsAContactAndAnAssistanceRequestACaseThatTheHomeOwnerAccepts() throws Exception {
        var sam = EmbeddedLedger.user("servicer", "sam");
        ledger.commit(sam, new Operation(OperationKind.CREATE, "Borrower", "B-7", 0, Json.parse("""
                {"borrowerId": "B-7", "fullName": "Ada Homeowner", "taxId": "123-45-6789", "email": "ada@example.org",
                 "mailingAddress": {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}}""")),
                new Operation(OperationKind.CREATE, "Loan", "L-7", 0, Json.parse("""
                {"loanNumber": "L-7", "borrowerId": "B-7", "propertyId": "P-7", "status": "delinquent",
                 "originalPrincipal": {"amount": "250000.00", "currency": "USD"}, "interestRate": "6.125",
                 "termMonths": 360, "originationDate": "2025-01-15"}""")));
        ObjectNode contact = Await.until("the borrower as a Contact", WAIT, () -> salesforce.record("Contact", "B-7"),
                r -> r != null);
        assertEquals("Ada Homeowner", contact.path("Name").asText());
        assertEquals("123-45-6789", contact.path("Tax_Id__c").asText(), "the servicer reads it: its own CRM has it");
        assertEquals("Springfield", contact.path("MailingCity").asText());

        // The servicer's agent logs the home owner's request for help as a Case: an offered repayment plan.
        String caseId = salesforce.userChange("Case", "AP-7", Json.object().put("Loan_Number__c", "L-7")
                .put("Type", "Repayment Plan").put("Status", "Offered").put("Offered_Date__c", "2026-11-05")
                .put("Description", "Six months at half the payment, then catch up"));
        JsonNode plan = Await.until("the plan in the ledger", WAIT, () -> ledger.state("AssistancePlan", "AP-7"),
                p -> p != null);
        assertEquals("repayment-plan", plan.path("kind").asText());
        TransactionRow tx = ledger.core().store().transaction(ledger.current("AssistancePlan", "AP-7").txId())
                .orElseThrow();
        assertEquals("Case/" + caseId, tx.sourceReference());

        // The home owner accepts it in the portal; the Case follows.
        var hugo = new org.meshledger.ledger.identity.MeshPrincipal(new org.meshledger.ledger.identity.PartyId(
                "home-owner"), org.meshledger.ledger.identity.PrincipalKind.USER, "hugo", "sub-hugo",
                java.util.Set.of(org.meshledger.ledger.identity.Role.VIEWER, org.meshledger.ledger.identity.Role.EDITOR),
                "Borrower/B-7");
        var accepted = ledger.commit(hugo, new Operation(OperationKind.UPDATE, "AssistancePlan", "AP-7", null,
                Json.object().put("status", "accepted").put("decisionDate", "2026-11-06")));
        assertEquals(org.meshledger.ledger.transaction.TransactionStatus.COMMITTED, accepted.status(),
                String.valueOf(accepted.rejection()));
        Await.until("the Case accepted", WAIT, () -> "Accepted".equals(salesforce.record("Case", "AP-7")
                .path("Status").asText()));
    }

    @Test
    void aRecordSalesforceRefusesIsDeadLetteredAndReplayedOnceTaken() throws Exception {
        salesforce.refuse("Status__c", "Reversed", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                "A reversal needs a reason (validation rule Reversal_Reason_Required)");
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.CREATE, "Payment", "PAY-S5", 0,
                Json.parse("""
                        {"paymentId": "PAY-S5", "loanNumber": "L-5", "dueDate": "2026-12-01", "status": "reversed",
                         "scheduledAmount": {"amount": "10.00", "currency": "USD"}}""")));
        DeadLetterRow letter = Await.until("PAY-S5 dead-lettered", WAIT,
                () -> connectors.openDeadLetters("servicer-salesforce"), l -> !l.isEmpty()).get(0);
        assertEquals("FIELD_CUSTOM_VALIDATION_EXCEPTION", letter.reasonCode());
        assertTrue(letter.reason().contains("Reversal_Reason_Required"), letter.reason());
        salesforce.clearRefusals();
        assertTrue(connectors.runtime().replay("servicer-salesforce", letter.id(), "servicer/sonia").replayed());
        assertNotNull(salesforce.record("Payment__c", "PAY-S5"));
    }

    @Test
    void anUpdateOfARecordTheLedgerDoesNotKnowIsCompletedFromSalesforce() throws Exception {
        connectors.close();
        salesforce.userChange("Payment__c", "PAY-S6", payment("L-6", "Scheduled"));
        salesforce.forgetEventsUpTo(salesforce.lastReplayId()); // its creation is gone from the stream
        int subscribes = salesforce.count("subscribe");
        connectors = startConnectors();
        Await.until("a new subscription", WAIT, () -> salesforce.count("subscribe") > subscribes);
        Thread.sleep(500);
        salesforce.userChange("Payment__c", "PAY-S6", Json.object().put("Status__c", "Missed"));
        JsonNode state = awaitLedger("PAY-S6", "missed");
        assertEquals("L-6", state.path("loanNumber").asText(), "the rest of the record, read from Salesforce");
        assertTrue(salesforce.count("get") >= 1);
    }

    /** The servicer's connector writing payments only: it logs in on its first write. */
    static final String WRITER = """
            {"connectors": [{"id": "servicer-salesforce", "kind": "salesforce", "party": "servicer",
              "settings": {"loginUrl": "${SF_URL}", "clientId": "meshledger-connected-app",
                           "clientSecret": "${SF_SECRET}", "timeoutMs": 5000},
              "retry": {"maxAttempts": 2, "firstDelayMs": 100, "maxDelayMs": 200},
              "mappings": [
                {"type": "Payment", "object": "Payment__c", "direction": "outbound",
                 "fields": {"paymentId": "MeshLedger_Id__c", "loanNumber": "Loan_Number__c", "dueDate": "Due_Date__c",
                            "scheduledAmount": {"system": "Amount_Due__c", "currencyField": "CurrencyIsoCode"},
                            "status": {"system": "Status__c", "values": {"Scheduled": "scheduled",
                                       "Received": "received", "Partial": "partial", "Missed": "missed",
                                       "Reversed": "reversed"}}}}
              ]}]}
            """;

    @Test
    void aLoginThatNamesAnInstanceOnAnotherHostFailsTheConnectorAndNothingIsSentThere() throws Exception {
        connectors.close();
        try (DecoyServer decoy = DecoyServer.start()) {
            salesforce.instanceUrl(decoy.url());
            int logins = salesforce.count("login");
            int upserts = salesforce.count("upsert");
            connectors = ConnectorsHarness.start(ledger, WRITER, Map.of("SF_URL", salesforce.url(), "SF_SECRET",
                    FakeSalesforce.CLIENT_SECRET));
            ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.CREATE, "Payment",
                    "PAY-S9", 0, Json.parse("""
                            {"paymentId": "PAY-S9", "loanNumber": "L-9", "dueDate": "2026-12-01", "status": "scheduled",
                             "scheduledAmount": {"amount": "10.00", "currency": "USD"}}""")));
            var failed = Await.until("the connector failed", WAIT, () -> ConnectorStatusBoard.get("servicer-salesforce")
                    .orElseThrow(), st -> st.state() == ConnectorStatusBoard.State.FAILED);
            assertTrue(failed.detail().startsWith("Salesforce's login answer names the instance " + decoy.url()
                    + ", which is not the login URL's host 127.0.0.1:"), failed.detail());
            assertTrue(salesforce.count("login") > logins, "it logged in at the login URL, which it trusts");
            var camel = connectors.runtime().camel();
            Await.until("its routes stopped", WAIT, () -> camel.getRoutes().stream()
                    .filter(r -> r.getRouteId().startsWith("servicer-salesforce-") && !r.getRouteId().endsWith("-out"))
                    .map(r -> r.getRouteId() + "=" + camel.getRouteController().getRouteStatus(r.getRouteId())).toList(),
                    routes -> routes.stream().allMatch(r -> r.endsWith("=Stopped")));
            Thread.sleep(2000);
            assertEquals(upserts, salesforce.count("upsert"));
            assertEquals(java.util.List.of(), decoy.received(), "nothing reached the other host, not even a connection");
            assertEquals(ConnectorStatusBoard.State.FAILED, ConnectorStatusBoard.get("servicer-salesforce").orElseThrow()
                    .state(), "it stays failed");
        } finally {
            salesforce.instanceUrl(null);
        }
    }

    @Test
    void instanceUrlsArePinnedToTheLoginHostAndTheAllowedInstanceHosts() {
        java.util.List<String> refusals = new java.util.ArrayList<>();
        InstancePin real = new InstancePin("https://login.salesforce.com", InstancePin.DEFAULT_HOSTS, null,
                refusals::add);
        assertTrue(real.check("https://contoso.my.salesforce.com"));
        assertTrue(real.check("https://login.salesforce.com"));
        assertTrue(real.check("https://contoso--dev.sandbox.my.salesforce.com/"));
        assertTrue(real.check("https://contoso.my.salesforce.mil"));
        assertTrue(refusals.isEmpty(), refusals.toString());
        for (String hostile : java.util.List.of("https://evil.example", "http://contoso.my.salesforce.com",
                "https://contoso.my.salesforce.com:8443", "https://salesforce.com.evil.example",
                "https://evilsalesforce.com", "not a url")) {
            org.junit.jupiter.api.Assertions.assertFalse(real.check(hostile), hostile);
        }
        assertEquals(6, refusals.size());
        assertTrue(refusals.get(0).startsWith("Salesforce's login answer names the instance https://evil.example, "
                + "which is not the login URL's host login.salesforce.com:443"), refusals.get(0));

        InstancePin pinned = new InstancePin("https://login.salesforce.com", java.util.List.of(
                "contoso.my.salesforce.com", "127.0.0.1:8443"), null, refusals::add);
        assertTrue(pinned.allows("CONTOSO.my.salesforce.com", 443));
        assertTrue(pinned.allows("127.0.0.1", 8443));
        org.junit.jupiter.api.Assertions.assertFalse(pinned.allows("other.my.salesforce.com", 443),
                "an explicit list replaces the real service's defaults");
        org.junit.jupiter.api.Assertions.assertFalse(pinned.allows("127.0.0.1", 443));
    }
}
