package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.meshledger.connect.dynamics.FakeDataverse;
import org.meshledger.connect.salesforce.FakeSalesforce;

/**
 * The mortgage story across the parties' own systems, through the provisioned server: the servicer's
 * Salesforce records a missed payment, the ledger commits it, and the loan owner's Dynamics 365
 * receives it under its own field names and codes; the loan owner's guidance, written in Dynamics,
 * reaches the servicer's Salesforce; lineage names the source records; and with faults injected on
 * both sides (5xx, timeouts, expired sessions and tokens, throttling, a malformed record, the node
 * restarted mid-batch) nothing is lost and nothing duplicated.
 */
@MeshLedgerIT
class ConnectorsEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final WebClient web = new WebClient();
    private final String servicer = Tokens.system("servicer");
    private final String owner = Tokens.system("loan-owner");
    private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    private static FakeSalesforce salesforce() {
        return TestStack.salesforce();
    }

    private static FakeDataverse dynamics() {
        return TestStack.dataverse();
    }

    private void createLoan(String loan) {
        web.commit(servicer, "{\"operations\": [" + LedgerApiIT.createLoan(loan, "B-E2E" + run, null) + "]}");
    }

    private static ObjectNode missedPayment(String loan) {
        return JsonNodeFactory.instance.objectNode().put("Loan_Number__c", loan).put("Due_Date__c", "2026-11-01")
                .put("Amount_Due__c", 1845.22).put("CurrencyIsoCode", "USD").put("Status__c", "Missed");
    }

    @Test
    void theServicersSalesforceRecordsAMissedPaymentAndTheOwnersDynamicsReceivesIt() {
        String loan = "L-E2E" + run;
        String payment = "PAY-E2E" + run;
        createLoan(loan);
        await("the loan in the owner's Dynamics", () -> dynamics().record("new_loans", loan));

        long started = System.nanoTime();
        String salesforceId = salesforce().userChange("Payment__c", payment, missedPayment(loan));
        ObjectNode row = await("the payment in the owner's Dynamics", () -> dynamics().record("new_payments", payment));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(loan, row.path("new_loannumber").asText());
        assertEquals(100000003, row.path("new_paymentstatus").asInt(), "missed, as the owner's option set says it");
        assertEquals("2026-11-01", row.path("new_duedate").asText());
        assertEquals(0, new java.math.BigDecimal("1845.22").compareTo(row.path("new_amountdue").decimalValue()));

        // The owner sees it in the ledger, with where it came from.
        JsonNode record = web.json(owner, "/api/records/Payment/" + payment);
        assertEquals("missed", record.at("/state/status").asText());
        assertEquals("servicer", record.at("/lineage/party").asText());
        assertEquals("servicer-salesforce", record.at("/lineage/principalName").asText());
        assertEquals("salesforce", record.at("/lineage/source/system").asText());
        assertEquals("Payment__c/" + salesforceId, record.at("/lineage/source/reference").asText(), record.toString());
        System.out.println("Salesforce change -> Dynamics 365 in " + millis + " ms");
    }

    @Test
    void theOwnersGuidanceWrittenInDynamicsReachesTheServicersSalesforce() {
        String loan = "L-GD" + run;
        createLoan(loan);
        await("the loan in the owner's Dynamics", () -> dynamics().record("new_loans", loan));
        await("the loan in the servicer's Salesforce", () -> salesforce().record("Loan__c", loan));

        String guid = dynamics().userChange("new_loans", loan, JsonNodeFactory.instance.objectNode()
                .put("new_guidance", "Offer forbearance before any referral (" + run + ")"));
        ObjectNode sfLoan = await("the guidance in Salesforce", () -> {
            ObjectNode r = salesforce().record("Loan__c", loan);
            return r != null && r.path("Servicing_Guidance__c").asText().contains(run) ? r : null;
        });
        assertEquals("Current", sfLoan.path("Status__c").asText());
        JsonNode record = web.json(servicer, "/api/records/Loan/" + loan);
        assertEquals("Offer forbearance before any referral (" + run + ")", record.at("/state/servicingGuidance").asText());
        assertEquals("loan-owner", record.at("/lineage/party").asText());
        assertEquals("dynamics", record.at("/lineage/source/system").asText());
        assertEquals("new_loans/" + guid, record.at("/lineage/source/reference").asText());
    }

    @Test
    void withFaultsOnBothSidesAndARestartMidBatchNothingIsLostNorDuplicated() throws Exception {
        String loan = "L-FT" + run;
        createLoan(loan);
        await("the loan in the owner's Dynamics", () -> dynamics().record("new_loans", loan));

        dynamics().failNext(3, 503);
        dynamics().throttleNext(2, 1);
        dynamics().slowNext(1, Duration.ofSeconds(6)); // longer than the connector's 5 s timeout
        dynamics().expireTokens();
        salesforce().expireSessions();
        salesforce().failNext(2, 503);

        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String payment = "PAY-FT" + run + "-" + i;
            payments.add(payment);
            salesforce().userChange("Payment__c", payment, missedPayment(loan));
            if (i == 10) {
                reloadServer(); // the node restarts while the stream is being taken in and written out
            }
        }
        String bad = "PAY-FT" + run + "-BAD";
        salesforce().userChange("Payment__c", bad, missedPayment(loan).put("Status__c", "Lost"));

        for (String payment : payments) {
            await(payment + " in the owner's Dynamics", () -> dynamics().record("new_payments", payment));
        }
        for (String payment : payments) {
            JsonNode record = web.json(owner, "/api/records/Payment/" + payment);
            assertEquals(1, record.get("version").asInt(), payment + " committed once: " + record);
            assertEquals(100000003, dynamics().record("new_payments", payment).path("new_paymentstatus").asInt());
        }
        HttpResponse<String> none = web.get(TestStack.portalUrl() + "/api/records/Payment/" + bad, owner);
        assertEquals(404, none.statusCode(), "the malformed record is not in the ledger");
        String admin = Tokens.user("servicer", "party-admin");
        JsonNode letter = await("the malformed record in the dead-letter store", () -> {
            for (JsonNode l : web.json(admin, "/api/connectors/servicer-salesforce/dead-letters")) {
                if (l.path("payload").path("fields").path("MeshLedger_Id__c").asText().equals(bad)) {
                    return l;
                }
            }
            return null;
        });
        assertEquals("mapping", letter.get("reasonCode").asText());
        assertTrue(letter.get("reason").asText().contains("field Status__c: 'Lost' has no ledger value"), letter.toString());
        try (var c = TestStack.database().superuserConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*), count(DISTINCT record_id) FROM record_version "
                        + "WHERE record_type = 'Payment' AND record_id LIKE 'PAY-FT" + run + "-%'")) {
            rs.next();
            assertEquals(payments.size(), rs.getInt(1), "one version per payment: nothing duplicated");
            assertEquals(payments.size(), rs.getInt(2));
        }
        JsonNode status = await("the connectors running again", () -> {
            JsonNode list = web.json(Tokens.user("servicer", "viewer"), "/api/connectors");
            for (JsonNode c : list) {
                if (c.get("id").asText().equals("servicer-salesforce") && c.get("state").asText().equals("running")) {
                    return c;
                }
            }
            return null;
        });
        assertTrue(status.get("deadLetters").asLong() >= 1);
    }

    private static void reloadServer() throws Exception {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                TestStack.port("management"))) {
            ModelNode result = client.execute(Operations.createOperation("reload"));
            assertTrue(Operations.isSuccessfulOutcome(result), result.toString());
        }
    }

    private <T> T await(String what, Callable<T> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null) {
                    return value;
                }
            } catch (Exception | AssertionError e) {
                last = new Exception(e.getMessage(), e); // the server may be restarting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what
                + (last == null ? "" : "; last failure: " + last));
    }
}
