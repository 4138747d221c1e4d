package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.proof.ProofVerifier;

/** The ledger through the REST API, on the provisioned server with real PostgreSQL and Keycloak. */
@MeshLedgerIT
class LedgerApiIT {

    private final WebClient web = new WebClient();
    private final String servicer = Tokens.system("servicer");
    private final String securitizer = Tokens.system("securitizer");
    private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    @Test
    void aTransactionIsCommittedReadByEachPartyAsItMaySeeItAndProven() {
        String borrower = "B-" + run;
        String loan = "L-" + run;
        HttpResponse<String> created = submit(servicer, """
                {"idempotencyKey": "%s", "source": {"system": "salesforce", "reference": "a0B%s"},
                 "operations": [%s, %s]}""".formatted(run, run, createBorrower(borrower), createLoan(loan, borrower, null)));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode outcome = Json.parse(created.body());
        assertEquals("COMMITTED", outcome.get("status").asText());
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/api/transactions/"
                + outcome.get("txId").asText()));

        JsonNode asServicer = get(servicer, "/api/records/Borrower/" + borrower);
        assertEquals("123-45-6789", asServicer.at("/state/taxId").asText(), "the servicer reads the tax id");
        assertEquals("salesforce", asServicer.at("/lineage/source/system").asText());
        assertEquals("servicer-system", asServicer.at("/lineage/principalName").asText());
        JsonNode asSecuritizer = get(securitizer, "/api/records/Borrower/" + borrower);
        assertTrue(asSecuritizer.at("/state/taxId").isMissingNode(), "the securitizer does not: " + asSecuritizer);
        assertTrue(asSecuritizer.at("/state/fullName").isMissingNode());

        HttpResponse<String> proof = web.get(TestStack.portalUrl() + "/api/records/Loan/" + loan + "/versions/1/proof",
                servicer);
        assertEquals(200, proof.statusCode(), proof.body());
        String nodeKey = get(servicer, "/api/ledger/digest").get("publicKey").asText();
        ProofVerifier.Verdict verdict = ProofVerifier.verify(proof.body(), nodeKey);
        assertTrue(verdict.valid(), verdict.message());

        HttpResponse<String> partialProof = web.get(TestStack.portalUrl() + "/api/records/Borrower/" + borrower
                + "/versions/1/proof", securitizer);
        assertEquals(200, partialProof.statusCode(), partialProof.body());
        assertFalse(partialProof.body().contains("123-45-6789"), "the securitizer's proof holds no tax id");
        ProofVerifier.Verdict partial = ProofVerifier.verify(partialProof.body(), nodeKey);
        assertTrue(partial.valid(), partial.message());
        assertTrue(partial.message().contains("taxId"), "named as withheld: " + partial.message());
    }

    @Test
    void aRepeatAnswersAsTheFirstTimeAndAStaleVersionIsAConflictOnTheLedger() {
        String loan = "L-" + run;
        String body = """
                {"idempotencyKey": "create-%s", "operations": [%s]}""".formatted(run, createLoan(loan, "B-1", null));
        HttpResponse<String> first = submit(servicer, body);
        HttpResponse<String> again = submit(servicer, body);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, again.statusCode());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(Json.parse(first.body()).get("txId"), Json.parse(again.body()).get("txId"));

        assertEquals(201, submit(servicer, update(loan, 1, "{\"status\": \"delinquent\"}")).statusCode());
        HttpResponse<String> stale = submit(servicer, update(loan, 1, "{\"status\": \"current\"}"));
        assertEquals(409, stale.statusCode(), stale.body());
        assertEquals("application/problem+json", stale.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = Json.parse(stale.body());
        assertEquals("VERSION_CONFLICT", problem.at("/transaction/rejection/code").asText());
        assertEquals("REJECTED", problem.at("/transaction/status").asText(), "recorded on the ledger, with its reason");
        assertEquals(2, get(servicer, "/api/records/Loan/" + loan).get("version").asInt(), "and nothing changed");
    }

    @Test
    void aSchemaViolationNamesTheFieldAndTheRuleAndWritesNothing() {
        String loan = "L-" + run;
        HttpResponse<String> invalid = submit(servicer, """
                {"operations": [%s]}""".formatted(createLoan(loan, "B-1", null).replace("\"termMonths\": 360",
                "\"termMonths\": 0")));
        assertEquals(422, invalid.statusCode(), invalid.body());
        JsonNode error = Json.parse(invalid.body()).at("/errors/0");
        assertEquals("/operations/0/data/termMonths", error.get("pointer").asText());
        assertEquals("minimum", error.get("rule").asText());
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/records/Loan/" + loan, servicer).statusCode());

        HttpResponse<String> notJson = submit(servicer, "{\"operations\": [");
        assertEquals(400, notJson.statusCode(), notJson.body());
        assertTrue(Json.parse(notJson.body()).get("detail").asText().contains("not JSON"), notJson.body());
    }

    @Test
    void aPartyWritesOnlyWhatItsRulesAllowAndIsToldWhichRule() {
        String loan = "L-" + run;
        HttpResponse<String> denied = submit(securitizer, """
                {"operations": [%s]}""".formatted(createLoan(loan, "B-1", null)));
        assertEquals(403, denied.statusCode(), denied.body());
        assertEquals("x-access.write of Loan: [loan-owner, servicer]", Json.parse(denied.body()).get("rule").asText());

        assertEquals(201, submit(servicer, "{\"operations\": [" + createLoan(loan, "B-1", null) + "]}").statusCode());
        HttpResponse<String> guidance = submit(servicer, update(loan, null, "{\"servicingGuidance\": \"call weekly\"}"));
        assertEquals(403, guidance.statusCode(), guidance.body());
        assertEquals("x-access.write of Loan.servicingGuidance: [loan-owner]",
                Json.parse(guidance.body()).get("rule").asText());
    }

    @Test
    void theOwnersPartyAdminSharesAFieldOfOneRecordAndTheGrantIsOnTheLedger() {
        String borrower = "B-S" + run;
        assertEquals(201, submit(servicer, "{\"operations\": [" + createBorrower(borrower) + "]}").statusCode());
        String share = """
                {"operations": [{"op": "grant", "type": "Borrower", "id": "%s",
                 "access": {"fields": {"taxId": {"read": ["securitizer"]}}}}]}""".formatted(borrower);

        HttpResponse<String> bySystem = submit(servicer, share);
        assertEquals(403, bySystem.statusCode(), "a system is no party administrator: " + bySystem.body());
        assertTrue(Json.parse(bySystem.body()).get("rule").asText().contains("party-admin"), bySystem.body());
        HttpResponse<String> unknownParty = submit(Tokens.user("servicer", "party-admin"),
                share.replace("\"securitizer\"", "\"nobody\""));
        assertEquals(422, unknownParty.statusCode(), unknownParty.body());
        assertTrue(unknownParty.body().contains("no party 'nobody'"), unknownParty.body());

        HttpResponse<String> adminEdits = submit(Tokens.user("servicer", "party-admin"), """
                {"operations": [{"op": "update", "type": "Borrower", "id": "%s", "patch": {"email": "a@b.example"}}]}"""
                .formatted(borrower));
        assertEquals(403, adminEdits.statusCode(), "a party-admin without the editor role shares, not edits");
        assertEquals("changing records needs the editor role", Json.parse(adminEdits.body()).get("rule").asText());

        HttpResponse<String> granted = submit(Tokens.user("servicer", "party-admin"), share);
        assertEquals(201, granted.statusCode(), granted.body());
        assertEquals("123-45-6789", get(securitizer, "/api/records/Borrower/" + borrower).at("/state/taxId").asText(),
                "shared with the securitizer");
        JsonNode history = get(securitizer, "/api/records/Borrower/" + borrower + "/history");
        assertEquals("grant", history.at("/1/version/lineage/operation").asText(), history.toString());
    }

    @Test
    void theHomeOwnerSeesOnlyTheLoansOfTheBorrowerItsUserIsLinkedTo() {
        // hugo.homeowner is linked to Borrower/B-000001 (a Keycloak user attribute, the meshledger_link claim).
        String mine = "L-H" + run;
        String theirs = "L-O" + run;
        assertEquals(201, submit(servicer, """
                {"operations": [{"op": "put", "type": "Borrower", "id": "B-000001", "data": {"borrowerId": "B-000001",
                 "fullName": "Hugo Homeowner"}}, %s, %s]}""".formatted(createLoan(mine, "B-000001", null),
                createLoan(theirs, "B-O" + run, null))).statusCode());
        String hugo = Tokens.user("home-owner", "editor");

        JsonNode loans = get(hugo, "/api/records/Loan?size=500");
        java.util.List<String> ids = new java.util.ArrayList<>();
        loans.get("items").forEach(item -> ids.add(item.get("id").asText()));
        assertTrue(ids.contains(mine), ids.toString());
        assertFalse(ids.contains(theirs), "another borrower's loan is not listed: " + ids);
        loans.get("items").forEach(item -> assertEquals("B-000001", item.at("/state/borrowerId").asText(),
                "only loans of its borrower: " + item));
        assertEquals(ids.size(), loans.get("total").asInt(), "the count tells nothing more");
        HttpResponse<String> other = web.get(TestStack.portalUrl() + "/api/records/Loan/" + theirs, hugo);
        HttpResponse<String> missing = web.get(TestStack.portalUrl() + "/api/records/Loan/L-NONE" + run, hugo);
        assertEquals(404, other.statusCode(), other.body());
        assertEquals(Json.parse(missing.body()).get("detail").asText().replace("L-NONE" + run, theirs),
                Json.parse(other.body()).get("detail").asText(), "hidden reads as missing");
        assertEquals("Hugo Homeowner", get(hugo, "/api/records/Borrower/B-000001").at("/state/fullName").asText());
    }

    @Test
    void aReadOfPiiLeavesAReceiptForTheOwningPartysAdministrators() {
        String borrower = "B-R" + run;
        assertEquals(201, submit(servicer, "{\"operations\": [" + createBorrower(borrower) + "]}").statusCode());
        get(Tokens.user("loan-owner", "editor"), "/api/records/Borrower/" + borrower);

        String servicerAdmin = Tokens.user("servicer", "party-admin");
        JsonNode receipts = get(servicerAdmin, "/api/read-receipts?type=Borrower&id=" + borrower);
        assertEquals(1, receipts.size(), receipts.toString());
        assertEquals("loan-owner", receipts.at("/0/readerParty").asText());
        assertEquals("get", receipts.at("/0/path").asText());
        assertEquals("[\"fullName\",\"taxId\"]", receipts.at("/0/fields").toString());
        assertEquals(0, get(Tokens.user("loan-owner", "party-admin"), "/api/read-receipts?type=Borrower&id=" + borrower)
                .size(), "another party's records' receipts are not the loan owner's to see");
        assertEquals(403, web.get(TestStack.portalUrl() + "/api/read-receipts", servicer).statusCode(),
                "for party administrators");
        assertEquals(400, web.get(TestStack.portalUrl() + "/api/read-receipts?from=yesterday", servicerAdmin)
                .statusCode());
        HttpResponse<String> expired = web.get(TestStack.portalUrl() + "/api/retention/expired", servicerAdmin);
        assertEquals(200, expired.statusCode(), expired.body());
        assertTrue(Json.parse(expired.body()).isArray(), "nothing is seven years past its loans' closing yet");
        assertEquals(403, web.get(TestStack.portalUrl() + "/api/retention/expired", servicer).statusCode());
    }

    @Test
    void theOwnersAdministratorPurgesAFieldFromTheWholeHistoryAndTheLedgerStillVerifies() {
        String borrower = "B-P" + run;
        assertEquals(201, submit(servicer, "{\"operations\": [" + createBorrower(borrower) + "]}").statusCode());
        String purge = """
                {"operations": [{"op": "purge", "type": "Borrower", "id": "%s",
                 "purge": {"fields": ["taxId"], "reason": "erasure request"}}]}""".formatted(borrower);
        assertEquals(403, submit(servicer, purge).statusCode(), "a system is no party administrator");
        String admin = Tokens.user("servicer", "party-admin");

        HttpResponse<String> purged = submit(admin, purge);

        assertEquals(201, purged.statusCode(), purged.body());
        assertTrue(get(servicer, "/api/records/Borrower/" + borrower + "/versions/1").at("/state/taxId").isMissingNode());
        assertFalse(web.get(TestStack.portalUrl() + "/api/records/Borrower/" + borrower + "/history", servicer).body()
                .contains("123-45-6789"));
        HttpResponse<String> report = web.postJson(TestStack.portalUrl() + "/api/ledger/verifications", admin, "");
        assertTrue(Json.parse(report.body()).get("intact").asBoolean(), report.body());
        assertTrue(Json.parse(report.body()).get("purged").asLong() >= 1, report.body());
    }

    @Test
    void historyOnBothTimeAxes() {
        String loan = "L-" + run;
        HttpResponse<String> v1 = submit(servicer, """
                {"validFrom": "2026-01-01T00:00:00Z", "operations": [%s]}""".formatted(createLoan(loan, "B-1", null)));
        long h1 = Json.parse(v1.body()).get("blockHeight").asLong();
        String recorded1 = Json.parse(v1.body()).get("recordedAt").asText();
        HttpResponse<String> v2 = submit(servicer, """
                {"validFrom": "2026-06-01T00:00:00Z", "operations": [{"op": "update", "type": "Loan", "id": "%s",
                 "expectedVersion": 1, "patch": {"status": "delinquent"}}]}""".formatted(loan));
        assertEquals(201, v2.statusCode(), v2.body());

        assertEquals(1, get(servicer, "/api/records/Loan/" + loan + "?asOfHeight=" + h1).get("version").asInt());
        assertEquals(1, get(servicer, "/api/records/Loan/" + loan + "?asOfTime=" + recorded1).get("version").asInt());
        assertEquals(1, get(servicer, "/api/records/Loan/" + loan + "?validAt=2026-03-01T00:00:00Z").get("version").asInt());
        assertEquals(2, get(servicer, "/api/records/Loan/" + loan + "?validAt=2026-07-01T00:00:00Z").get("version").asInt());
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/records/Loan/" + loan + "?validAt=2025-07-01T00:00:00Z",
                servicer).statusCode(), "not yet valid then");

        JsonNode history = get(servicer, "/api/records/Loan/" + loan + "/history");
        assertEquals(2, history.size());
        assertEquals("replace", history.at("/1/changes/0/op").asText());
        assertEquals("/status", history.at("/1/changes/0/path").asText());
    }

    @Test
    void listsFilterSortAndPageOnlyOnFieldsThePartyMayRead() {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, submit(servicer, "{\"operations\": [" + createLoan("L-" + run + "-" + i, "B-" + run,
                    "2024-0" + (i + 1) + "-01") + "]}").statusCode());
        }
        JsonNode page = get(servicer, "/api/records/Loan?filter.borrowerId=B-" + run + "&sort=-originationDate&size=2&page=0");
        assertEquals(5, page.get("total").asInt());
        assertEquals(2, page.get("items").size());
        assertEquals("L-" + run + "-4", page.at("/items/0/id").asText(), "newest first");
        JsonNode last = get(servicer, "/api/records/Loan?filter.borrowerId=B-" + run + "&sort=-originationDate&size=2&page=2");
        assertEquals("L-" + run + "-0", last.at("/items/0/id").asText());

        HttpResponse<String> notIndexed = web.get(TestStack.portalUrl() + "/api/records/Loan?filter.termMonths=360", servicer);
        assertEquals(400, notIndexed.statusCode());
        assertEquals("filter.termMonths", Json.parse(notIndexed.body()).get("parameter").asText());
        HttpResponse<String> unreadable = web.get(TestStack.portalUrl() + "/api/records/Borrower?sort=fullName",
                securitizer);
        assertEquals(400, unreadable.statusCode(), "sorting on a field it may not read would leak it");
        assertFalse(unreadable.body().contains("Ada"), unreadable.body());
    }

    @Test
    void theLedgerVerifiesAndProvesItsHistoryConsistent() {
        assertEquals(201, submit(servicer, "{\"operations\": [" + createLoan("L-" + run, "B-1", null) + "]}").statusCode());
        String admin = Tokens.user("loan-owner", "party-admin");
        HttpResponse<String> report = web.postJson(TestStack.portalUrl() + "/api/ledger/verifications", admin, "");
        assertEquals(200, report.statusCode(), report.body());
        assertTrue(Json.parse(report.body()).get("intact").asBoolean(), report.body());
        assertEquals(403, web.postJson(TestStack.portalUrl() + "/api/ledger/verifications", servicer, "").statusCode(),
                "verification reads everything: administrators only");

        long height = get(servicer, "/api/ledger/digest").get("height").asLong();
        HttpResponse<String> consistency = web.get(TestStack.portalUrl() + "/api/ledger/consistency?from=1&to=" + height,
                servicer);
        assertEquals(200, consistency.statusCode(), consistency.body());
        assertTrue(ProofVerifier.verify(consistency.body(), null).valid());
    }

    private HttpResponse<String> submit(String token, String body) {
        return web.postJson(TestStack.portalUrl() + "/api/transactions", token, body);
    }

    private JsonNode get(String token, String path) {
        HttpResponse<String> response = web.get(TestStack.portalUrl() + path, token);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return Json.parse(response.body());
    }

    private static String update(String loan, Integer expectedVersion, String patch) {
        return """
                {"operations": [{"op": "update", "type": "Loan", "id": "%s", %s "patch": %s}]}"""
                .formatted(loan, expectedVersion == null ? "" : "\"expectedVersion\": " + expectedVersion + ",", patch);
    }

    private static String createBorrower(String id) {
        return """
                {"op": "create", "type": "Borrower", "id": "%s", "data": {"borrowerId": "%s", "fullName": "Ada Homeowner",
                 "taxId": "123-45-6789"}}""".formatted(id, id);
    }

    static String createLoan(String loan, String borrower, String originationDate) {
        return """
                {"op": "create", "type": "Loan", "id": "%s", "data": {"loanNumber": "%s", "borrowerId": "%s",
                 "propertyId": "P-1", "originalPrincipal": {"amount": "320000.00", "currency": "USD"},
                 "interestRate": "6.125", "termMonths": 360, "originationDate": "%s", "status": "current"}}"""
                .formatted(loan, loan, borrower, originationDate == null ? "2024-03-01" : originationDate);
    }
}
