package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A party probing the API for what it may not see: other parties' record ids, and SQL or JSON
 * injection through filters, sorts, ids, types and paging. Nothing leaks, nothing answers 5xx, and
 * the ledger is unchanged.
 */
@MeshLedgerIT
class ProbingIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    private static final String SECRET_TAX_ID = "987-65-4321";
    private static final String HIDDEN_SECURITY = "S-HIDDEN" + RUN;

    private final WebClient web = new WebClient();

    @BeforeAll
    static void records() {
        WebClient web = new WebClient();
        String servicer = Tokens.system("servicer");
        assertEquals(201, web.postJson(TestStack.portalUrl() + "/api/transactions", servicer, """
                {"operations": [{"op": "create", "type": "Borrower", "id": "B-PROBE%s", "data": {"borrowerId":
                 "B-PROBE%s", "fullName": "Petra Probe", "taxId": "%s"}}]}""".formatted(RUN, RUN, SECRET_TAX_ID))
                .statusCode());
        assertEquals(201, web.postJson(TestStack.portalUrl() + "/api/transactions", Tokens.system("securitizer"), """
                {"operations": [{"op": "create", "type": "Security", "id": "%s", "data": {"securityId": "%s",
                 "name": "Hidden pool", "poolType": "agency-mbs", "status": "open"}}]}"""
                .formatted(HIDDEN_SECURITY, HIDDEN_SECURITY)).statusCode());
    }

    @Test
    void anotherPartysRecordIdsReadExactlyLikeIdsThatDoNotExist() {
        String homeOwner = Tokens.system("home-owner");
        for (String path : List.of("", "/history", "/versions/1", "/versions/1/proof")) {
            HttpResponse<String> hidden = get("/api/records/Security/" + HIDDEN_SECURITY + path, homeOwner);
            HttpResponse<String> missing = get("/api/records/Security/S-NONE" + RUN + path, homeOwner);
            assertEquals(404, hidden.statusCode(), path + ": " + hidden.body());
            assertEquals(missing.statusCode(), hidden.statusCode(), path);
            assertEquals(missing.body().replace("S-NONE" + RUN, HIDDEN_SECURITY), hidden.body(), path);
        }
    }

    @Test
    void injectionThroughQueryParametersIsRefusedOrHarmless() {
        String securitizer = Tokens.system("securitizer");
        long before = height();
        List<String> probes = List.of(
                "filter.status=" + enc("open' OR '1'='1"),
                "filter.status=" + enc("\") OR true --"),
                "filter.taxId=" + enc(SECRET_TAX_ID),
                "filter." + enc("status'||'") + "=x",
                "filter." + enc("fullName") + "=" + enc("Petra Probe"),
                "sort=" + enc("status'); DROP TABLE record_current; --"),
                "sort=" + enc("taxId"),
                "sort=" + enc("-fullName"),
                "sort=" + enc("(SELECT 1)"),
                "page=-1", "size=0", "size=100000", "page=" + enc("1 OR 1=1"),
                "asOfHeight=-5", "asOfTime=" + enc("'; SELECT pg_sleep(5); --"), "validAt=yesterday");
        for (String probe : probes) {
            HttpResponse<String> answer = get("/api/records/Borrower?" + probe, securitizer);
            assertTrue(answer.statusCode() < 500, probe + ": " + answer.statusCode() + " " + answer.body());
            assertFalse(answer.body().contains(SECRET_TAX_ID), probe + " leaks the tax id: " + answer.body());
            assertFalse(answer.body().contains("Petra"), probe + " leaks the name: " + answer.body());
            if (answer.statusCode() == 200) {
                assertFalse(probe.contains("taxId") || probe.contains("fullName"),
                        "filtering or sorting on a field it may not read must be refused: " + probe);
            }
        }
        for (String type : List.of("Borrower'", "Borrower%27%20OR%201=1", "..%2F..%2Fnode", "pg_catalog.pg_user")) {
            HttpResponse<String> answer = get("/api/records/" + type, securitizer);
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, type + ": " + answer.statusCode());
        }
        for (String id : List.of("B-PROBE" + RUN + "'%20OR%20'1'='1", "%27%3B%20DROP%20TABLE%20ledger_block%3B--",
                "x".repeat(5000))) {
            HttpResponse<String> answer = get("/api/records/Borrower/" + id, securitizer);
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, id + ": " + answer.statusCode());
            assertFalse(answer.body().contains(SECRET_TAX_ID));
        }
        assertEquals(before, height(), "nothing was written");
        assertEquals(200, get("/api/records/Borrower?size=1", securitizer).statusCode(), "and the tables are there");
    }

    @Test
    void malformedTransactionsAreRefusedWithoutA5xxAndWriteNothing() {
        String servicer = Tokens.system("servicer");
        long before = height();
        List<String> bodies = List.of("", "null", "[]", "{}", "{\"operations\": {}}",
                "{\"operations\": [{\"op\": \"create\", \"type\": \"Borrower'; --\", \"id\": \"B-1\", \"data\": {}}]}",
                "{\"operations\": [{\"op\": \"drop\", \"type\": \"Borrower\", \"id\": \"B-1\"}]}",
                "{\"operations\": [{\"op\": \"grant\", \"type\": \"Borrower\", \"id\": \"B-PROBE" + RUN
                        + "\", \"access\": {\"read\": [\"' OR 1=1\"]}}]}",
                "{\"commit\": \"everywhere\", \"operations\": []}", "{\"operations\": [" + "{},".repeat(2000) + "{}]}");
        for (String body : bodies) {
            HttpResponse<String> answer = web.postJson(TestStack.portalUrl() + "/api/transactions", servicer, body);
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500,
                    body.substring(0, Math.min(80, body.length())) + ": " + answer.statusCode() + " " + answer.body());
        }
        assertEquals(before, height(), "nothing was written");
    }

    private long height() {
        return Json.parse(get("/api/ledger/digest", Tokens.system("servicer")).body()).get("height").asLong();
    }

    private HttpResponse<String> get(String path, String token) {
        return web.get(TestStack.portalUrl() + path, token);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
