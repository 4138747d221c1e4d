package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parties that do not trust each other, tried from outside as a hostile one would (issue 14), as
 * each party's system and users against the provisioned server: poison values in every kind of
 * field, huge and deep records, the existence oracle on every write operation, forbidden deletes
 * and transitions, idempotency keys reused. Each is refused at submit with the field named and a
 * body that echoes no SQL or stack; no other party's concurrent transaction fails; events keep
 * flowing; nothing is written where nothing should be; no 5xx anywhere.
 */
@MeshLedgerIT
class HostileInputIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    private static final String MY_LOAN = "L-HI" + RUN;
    private static final String OTHER_LOAN = "L-HO" + RUN;
    private static final String MY_PLAN = "AP-HI" + RUN;
    private static final String OTHER_PLAN = "AP-HO" + RUN;
    private static final String OTHER_BORROWER = "B-HO" + RUN;

    private final WebClient web = new WebClient();

    @BeforeAll
    static void records() {
        WebClient web = new WebClient();
        String servicer = Tokens.system("servicer");
        // hugo.homeowner is linked to Borrower/B-000001: MY_LOAN and its plan are his, OTHER_LOAN another's.
        web.commit(servicer, """
                {"operations": [{"op": "put", "type": "Borrower", "id": "B-000001", "data": {"borrowerId": "B-000001",
                 "fullName": "Hugo Homeowner"}}, {"op": "create", "type": "Borrower", "id": "%s", "data": {"borrowerId":
                 "%s", "fullName": "Another Homeowner", "email": "another@example.org"}}, %s, %s, %s, %s]}""".formatted(
                OTHER_BORROWER, OTHER_BORROWER, loan(MY_LOAN, "B-000001"), loan(OTHER_LOAN, OTHER_BORROWER),
                plan(MY_PLAN, MY_LOAN), plan(OTHER_PLAN, OTHER_LOAN)));
    }

    @Test
    void poisonValuesAreRefusedAtSubmitNamingTheFieldWhileOtherPartiesCommit() throws Exception {
        String homeOwner = Tokens.user("home-owner", "editor");
        String servicer = Tokens.system("servicer");
        String owner = Tokens.system("loan-owner");
        Map<String, String[]> poisons = Map.of(
                // a NUL in lineage, as the home owner's user
                payment("PAY-NUL" + RUN, "2026-12-01", ", \"source\": {\"system\": \"crm\", \"reference\": \"a\\u0000b\"}"),
                new String[] {servicer, "/source/reference", "characters"},
                "{\"operations\": [{\"op\": \"update\", \"type\": \"AssistancePlan\", \"id\": \"" + MY_PLAN
                        + "\", \"patch\": {\"status\": \"accepted\", \"decisionDate\": \"2026-11-0\\u00003\"}}]}",
                new String[] {homeOwner, "/operations/0/patch/decisionDate", "characters"},
                "{\"operations\": [{\"op\": \"update\", \"type\": \"Loan\", \"id\": \"" + MY_LOAN
                        + "\", \"patch\": {\"termMonths\": 1e400}}]}",
                new String[] {owner, "/operations/0/patch/termMonths", "number"},
                payment("PAY-BIGDATE" + RUN, "2026-12-01" + "x".repeat(1_000_000), ""),
                new String[] {servicer, "/operations/0/data", "maxBytes"},
                payment("PAY-DATE" + RUN, "2026-02-31", ""),
                new String[] {servicer, "/operations/0/data/dueDate", "format"},
                "{\"operations\": [{\"op\": \"update\", \"type\": \"Loan\", \"id\": \"" + MY_LOAN + "\", \"patch\": "
                        + "{\"notes\": " + "{\"a\": ".repeat(40) + "1" + "}".repeat(40) + "}}]}",
                new String[] {owner, "/operations/0/patch", "maxDepth"},
                "{\"operations\": [{\"op\": \"create\", \"type\": \"Payment\", \"id\": \"PAY-IDX" + RUN + "\", \"data\": "
                        + "{\"paymentId\": \"PAY-IDX" + RUN + "\", \"loanNumber\": \"" + "L".repeat(2000) + "\", "
                        + "\"dueDate\": \"2026-12-01\", \"status\": \"scheduled\", "
                        + "\"scheduledAmount\": {\"amount\": \"1.00\", \"currency\": \"USD\"}}}]}",
                new String[] {servicer, "/operations/0/data/loanNumber", "maxLength"});
        long before = height();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> legit = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "PAY-OK" + RUN + "-" + i;
                legit.add(pool.submit(() -> post(servicer, payment(id, "2026-12-01", ""))));
            }
            List<Future<HttpResponse<String>>> refused = new ArrayList<>();
            List<String[]> expected = new ArrayList<>();
            poisons.forEach((body, who) -> {
                refused.add(pool.submit(() -> post(who[0], body)));
                expected.add(who);
            });
            for (int i = 0; i < refused.size(); i++) {
                HttpResponse<String> answer = refused.get(i).get();
                String[] what = expected.get(i);
                assertEquals(422, answer.statusCode(), what[1] + ": " + abbreviated(answer.body()));
                assertProblemNamesField(answer, what[1], what[2]);
            }
            for (Future<HttpResponse<String>> answer : legit) {
                assertEquals(201, answer.get().statusCode(), "another party's transaction: " + answer.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        String reader = Tokens.system("servicer");
        for (int i = 0; i < 20; i++) {
            assertEquals(200, web.get(TestStack.portalUrl() + "/api/records/Payment/PAY-OK" + RUN + "-" + i, reader)
                    .statusCode());
        }
        for (String refusedId : List.of("PAY-NUL", "PAY-BIGDATE", "PAY-DATE", "PAY-IDX")) {
            assertEquals(404, web.get(TestStack.portalUrl() + "/api/records/Payment/" + refusedId + RUN, reader)
                    .statusCode(), refusedId + " was not written");
        }
        assertEquals(360, web.json(reader, "/api/records/Loan/" + MY_LOAN).at("/state/termMonths").asInt());
        assertTrue(height() > before);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String body = payment("PAY-HUGE" + RUN, "2026-12-01", ", \"pad\": \"" + "x".repeat(9 * 1024 * 1024) + "\"");
        HttpResponse<String> answer = post(Tokens.system("servicer"), body);
        assertEquals(413, answer.statusCode(), abbreviated(answer.body()));
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
        assertTrue(answer.body().contains("at most"), answer.body());
    }

    @Test
    void changingAHiddenRecordAnswersExactlyAsChangingAMissingOne() {
        String homeOwner = Tokens.system("home-owner");
        String hugo = Tokens.user("home-owner", "editor");
        long before = height();
        Map<String, String> bodies = Map.of("delete", "", "update", ", \"patch\": {\"status\": \"accepted\"}",
                "put", ", \"data\": {\"planId\": \"ID\", \"loanNumber\": \"" + MY_LOAN + "\", \"status\": \"offered\", "
                        + "\"kind\": \"forbearance\", \"offeredDate\": \"2026-11-02\"}",
                "grant", ", \"access\": {\"read\": [\"securitizer\"]}",
                "revoke", ", \"access\": {\"read\": [\"securitizer\"]}",
                "purge", ", \"purge\": {\"fields\": [\"email\"], \"reason\": \"probe\"}");
        for (String token : List.of(homeOwner, hugo)) {
            bodies.forEach((op, rest) -> {
                if (op.equals("put")) {
                    return; // a put of a missing record creates it: see below
                }
                // Only classified fields can be purged, and plans have none: a purge probes another's borrower.
                boolean purge = op.equals("purge");
                String hiddenId = purge ? OTHER_BORROWER : OTHER_PLAN;
                String missingId = (purge ? "B-NONE" : "AP-NONE") + RUN;
                String type = purge ? "Borrower" : "AssistancePlan";
                HttpResponse<String> hidden = post(token, operation(op, type, hiddenId, rest));
                HttpResponse<String> missing = post(token, operation(op, type, missingId, rest));
                assertEquals(404, hidden.statusCode(), op + ": " + hidden.body());
                assertEquals(missing.statusCode(), hidden.statusCode(), op);
                assertEquals(missing.body().replace(missingId, hiddenId), hidden.body(), op);
            });
        }
        // A put of a record it cannot read answers 404 too, and overwrites nothing.
        HttpResponse<String> put = post(hugo, planOp("put", OTHER_PLAN, bodies.get("put").replace("ID", OTHER_PLAN)));
        assertEquals(404, put.statusCode(), put.body());
        assertEquals(before, height(), "the probes left nothing on the ledger");
    }

    @Test
    void writeRulesMeanWhatTheySay() {
        String hugo = Tokens.user("home-owner", "editor");
        // Deleting is the owner's (the servicer's) unless x-access.delete says otherwise.
        HttpResponse<String> delete = post(hugo, planOp("delete", MY_PLAN, ""));
        assertEquals(403, delete.statusCode(), delete.body());
        assertTrue(Json.parse(delete.body()).path("rule").asText().startsWith("x-access.delete of AssistancePlan"),
                delete.body());
        // The home owner moves his plan only from offered to accepted or declined.
        HttpResponse<String> complete = post(hugo, planOp("update", MY_PLAN, ", \"patch\": {\"status\": \"completed\"}"));
        assertEquals(403, complete.statusCode(), complete.body());
        assertEquals("x-transitions of AssistancePlan.status for home-owner",
                Json.parse(complete.body()).path("rule").asText());
        HttpResponse<String> accept = post(hugo, planOp("update", MY_PLAN,
                ", \"patch\": {\"status\": \"accepted\", \"decisionDate\": \"2026-11-20\"}"));
        assertEquals(201, accept.statusCode(), accept.body());
        // A record of a type without a rows rule for the home owner cannot be shared with every home owner.
        String securitizer = Tokens.system("securitizer");
        web.commit(securitizer, "{\"operations\": [{\"op\": \"create\", \"type\": \"Security\", \"id\": \"S-HI"
                + RUN + "\", \"data\": {\"securityId\": \"S-HI" + RUN + "\", \"name\": \"Pool\", "
                + "\"poolType\": \"agency-mbs\", \"status\": \"open\"}}]}");
        HttpResponse<String> share = post(securitizer, "{\"operations\": [{\"op\": \"grant\", \"type\": \"Security\", \"id\": \"S-HI"
                + RUN + "\", \"access\": {\"read\": [\"home-owner\"]}}]}");
        assertEquals(422, share.statusCode(), share.body());
        assertProblemNamesField(share, "/operations/0/access", "x-access.rows");
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherRequestIsRefused() {
        String servicer = Tokens.system("servicer");
        String key = "\"idempotencyKey\": \"hostile-" + RUN + "\"";
        HttpResponse<String> first = post(servicer, payment("PAY-IK1" + RUN, "2026-12-01", ", " + key));
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = post(servicer, payment("PAY-IK1" + RUN, "2026-12-01", ", " + key));
        assertEquals(201, again.statusCode());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        HttpResponse<String> other = post(servicer, payment("PAY-IK2" + RUN, "2026-12-01", ", " + key));
        assertEquals(422, other.statusCode(), other.body());
        assertProblemNamesField(other, "/idempotencyKey", "idempotency");
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/records/Payment/PAY-IK2" + RUN, servicer)
                .statusCode(), "the second request's change was not taken for the first's");
    }

    @Test
    void eventsKeepFlowingToEveryPartyAfterTheRefusals() {
        String servicer = Tokens.system("servicer");
        Instant start = Instant.now().minusSeconds(2);
        String id = "PAY-EV" + RUN;
        web.commit(servicer, payment(id, "2026-12-01", ""));
        for (String party : List.of("loan-owner", "securitizer", "servicer")) {
            try (TopicReader topic = TopicReader.records(party)) {
                topic.seekTo(start);
                var read = topic.readUntil(r -> r.stream().anyMatch(e -> ("Payment/" + id).equals(e.key())),
                        Duration.ofSeconds(30));
                assertTrue(read.stream().anyMatch(e -> ("Payment/" + id).equals(e.key())),
                        party + " receives the payment's event");
            }
        }
    }

    @Test
    void afterAPurgeNoPartysTopicReplayedFromTheStartHoldsThePurgedValues() {
        String servicer = Tokens.system("servicer");
        String borrower = "B-PG" + RUN;
        java.util.Random random = new java.util.Random();
        String tax = String.format("%03d-%02d-%04d", random.nextInt(1000), random.nextInt(100), random.nextInt(10_000));
        String name = "Purgella Forget" + RUN;
        web.commit(servicer, """
                {"operations": [{"op": "create", "type": "Borrower", "id": "%s", "data": {"borrowerId": "%s",
                 "fullName": "%s", "taxId": "%s"}}]}""".formatted(borrower, borrower, name, tax));
        web.commit(servicer, "{\"operations\": [{\"op\": \"update\", \"type\": \"Borrower\", \"id\": \""
                + borrower + "\", \"patch\": {\"email\": \"purgella" + RUN.toLowerCase() + "@example.org\"}}]}");
        HttpResponse<String> purge = post(Tokens.user("servicer", "party-admin"), "{\"operations\": [{\"op\": "
                + "\"purge\", \"type\": \"Borrower\", \"id\": \"" + borrower + "\", \"purge\": {\"fields\": "
                + "[\"taxId\", \"fullName\", \"email\"], \"reason\": \"the borrower's erasure request\"}}]}");
        assertEquals(201, purge.statusCode(), purge.body());
        for (String party : List.of("loan-owner", "servicer", "securitizer", "home-owner")) {
            try (TopicReader topic = TopicReader.records(party)) {
                var events = topic.readUntil(read -> party.equals("home-owner") || read.stream().anyMatch(
                        e -> ("Borrower/" + borrower).equals(e.key()) && TopicReader.data(e.value()).path("operation")
                                .asText().equals("purge")), Duration.ofSeconds(60));
                events.addAll(topic.readToEnd());
                for (var event : events) {
                    String data = new String(event.value().getData().toBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertFalse(data.contains(tax) || data.contains(name) || data.contains("purgella"),
                            party + "'s topic still holds a purged value: " + abbreviated(data));
                }
            }
        }
        assertEquals("", web.json(servicer, "/api/records/Borrower/" + borrower).at("/state/taxId").asText(),
                "the ledger holds it no more");
    }

    private static void assertProblemNamesField(HttpResponse<String> answer, String pointer, String rule) {
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = Json.parse(answer.body());
        boolean named = false;
        for (JsonNode error : problem.path("errors")) {
            String at = error.path("pointer").asText();
            named |= (at.equals(pointer) || at.startsWith(pointer + "/")) && error.path("rule").asText().equals(rule);
        }
        assertTrue(named, "expected " + rule + " at " + pointer + " in " + abbreviated(answer.body()));
        for (String leak : List.of("SQL", "org.postgresql", "Exception", "\tat ", "jsonb")) {
            assertFalse(answer.body().contains(leak), leak + " in " + abbreviated(answer.body()));
        }
    }

    private HttpResponse<String> post(String token, String body) {
        HttpResponse<String> answer = web.postJson(TestStack.portalUrl() + "/api/transactions", token, body);
        assertTrue(answer.statusCode() < 500, answer.statusCode() + " " + abbreviated(answer.body()));
        return answer;
    }

    private long height() {
        return Json.parse(web.get(TestStack.portalUrl() + "/api/ledger/digest", Tokens.system("servicer")).body())
                .get("height").asLong();
    }

    private static String abbreviated(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    private static String payment(String id, String dueDate, String more) {
        return """
                {"operations": [{"op": "create", "type": "Payment", "id": "%s", "data": {"paymentId": "%s",
                  "loanNumber": "%s", "dueDate": "%s", "status": "scheduled",
                  "scheduledAmount": {"amount": "1944.35", "currency": "USD"}}}]%s}""".formatted(id, id, MY_LOAN, dueDate,
                more);
    }

    private static String planOp(String op, String id, String rest) {
        return operation(op, "AssistancePlan", id, rest);
    }

    private static String operation(String op, String type, String id, String rest) {
        return "{\"operations\": [{\"op\": \"" + op + "\", \"type\": \"" + type + "\", \"id\": \"" + id + "\"" + rest
                + "}]}";
    }

    private static String loan(String number, String borrower) {
        return """
                {"op": "create", "type": "Loan", "id": "%s", "data": {"loanNumber": "%s", "borrowerId": "%s",
                 "propertyId": "P-%s", "originalPrincipal": {"amount": "320000.00", "currency": "USD"},
                 "unpaidPrincipal": {"amount": "320000.00", "currency": "USD"}, "interestRate": "6.125",
                 "termMonths": 360, "originationDate": "2024-03-01", "status": "current"}}"""
                .formatted(number, number, borrower, number);
    }

    private static String plan(String id, String loan) {
        return """
                {"op": "create", "type": "AssistancePlan", "id": "%s", "data": {"planId": "%s", "loanNumber": "%s",
                 "kind": "forbearance", "status": "offered", "offeredDate": "2026-11-02"}}""".formatted(id, id, loan);
    }
}
