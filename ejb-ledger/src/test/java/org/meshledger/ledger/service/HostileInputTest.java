package org.meshledger.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.proof.NodeSigningKey;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.transaction.FieldProblem;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequests;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.migration.SchemaMigrations;
import org.meshledger.persistence.testing.TestPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The submit step against what a hostile party sends (issue 14): values the store, the hashes or
 * the event broker cannot take are refused with 422 naming the field, before they reach a block;
 * changes of records a party cannot read answer exactly like changes of missing ones and leave
 * nothing on the ledger; an idempotency key reused with another request is refused. On the server
 * wired as the node wires it ({@link LedgerCore}) over a real PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final MeshPrincipal SERVICER = principal("servicer", "servicer-system", null);
    private static final MeshPrincipal OWNER = principal("loan-owner", "owner-system", null);
    /** The home owner's system, linked to borrower B-1: it reads loan L-1's records only. */
    private static final MeshPrincipal HOME_OWNER = principal("home-owner", "home-owner-system", "Borrower/B-1");

    private LedgerCore core;

    @BeforeAll
    void open() throws Exception {
        EmbeddedPostgres server = TestPostgres.shared();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.url(server, TestPostgres.newDatabase(server, "hostile")));
        ds.setUser("postgres");
        new SchemaMigrations(ds).migrate();
        core = LedgerCore.open(DemoNetwork.get(), ds, NodeSigningKey.loadOrCreate(Path.of("target",
                "test-node-key.pem")), BlockPolicy.DEFAULT, Executors.defaultThreadFactory(), Clock.systemUTC());
        for (String b : List.of("B-1", "B-2")) {
            commit(SERVICER, """
                    {"operations": [{"op": "create", "type": "Borrower", "id": "%s",
                      "data": {"borrowerId": "%s", "fullName": "Borrower %s"}}]}""".formatted(b, b, b));
        }
        for (String n : List.of("1", "2")) {
            commit(SERVICER, """
                    {"operations": [{"op": "create", "type": "Loan", "id": "L-%s", "data": {"loanNumber": "L-%s",
                      "borrowerId": "B-%s", "propertyId": "P-%s",
                      "originalPrincipal": {"amount": "320000.00", "currency": "USD"},
                      "unpaidPrincipal": {"amount": "320000.00", "currency": "USD"}, "interestRate": "6.125",
                      "termMonths": 360, "originationDate": "2024-03-01", "status": "current"}}]}"""
                    .formatted(n, n, n, n));
            commit(SERVICER, """
                    {"operations": [{"op": "create", "type": "AssistancePlan", "id": "AP-%s", "data": {"planId": "AP-%s",
                      "loanNumber": "L-%s", "kind": "forbearance", "status": "offered", "offeredDate": "2026-11-02"}}]}"""
                    .formatted(n, n, n));
        }
    }

    @AfterAll
    void close() {
        core.close();
    }

    @Test
    void aNulCharacterInLineageIsRefusedAtSubmit() {
        assertRefused(SERVICER, payment("PAY-NUL", "\"dueDate\": \"2026-12-01\"", ", \"source\": {\"system\": "
                + "\"crm\", \"reference\": \"a\\u0000b\"}"), "/source/reference", "characters");
    }

    @Test
    void aNulCharacterInAValueOrAFieldNameIsRefusedAtSubmit() {
        assertRefused(HOME_OWNER, """
                {"operations": [{"op": "update", "type": "AssistancePlan", "id": "AP-1",
                  "patch": {"status": "accepted", "decisionDate": "2026-11-0\\u00003"}}]}""",
                "/operations/0/patch/decisionDate", "characters");
        assertRefused(SERVICER, """
                {"operations": [{"op": "update", "type": "AssistancePlan", "id": "AP-1",
                  "patch": {"x\\u0001": 1}}]}""", "/operations/0/patch/x\u0001", "propertyNames");
    }

    @Test
    void numbersCanonicalJsonCannotHoldExactlyAreRefused() {
        assertRefused(SERVICER, loanUpdate("\"termMonths\": 1e400"), "/operations/0/patch/termMonths", "number");
        assertRefused(SERVICER, loanUpdate("\"termMonths\": 12345678901234567891"), "/operations/0/patch/termMonths",
                "number");
        assertRefused(SERVICER, loanUpdate("\"termMonths\": 9007199254740993"), "/operations/0/patch/termMonths",
                "number");
    }

    /**
     * Written out, these are a billion digits: refused by their exponent, before anything compares
     * them. (A zero with such an exponent is read as plain 0, which is harmless.)
     */
    @Test
    void numbersWithHugeExponentsAreRefused() {
        for (String hostile : new String[] {"1e999999999", "-1E-999999999", "1.5E+1001", "7e-1001"}) {
            assertRefused(SERVICER, loanUpdate("\"termMonths\": " + hostile), "/operations/0/patch/termMonths",
                    "number");
        }
    }

    @Test
    void declaredFormatsAreEnforced() {
        assertRefused(SERVICER, payment("PAY-DATE", "\"dueDate\": \"2026-13-45\""), "/operations/0/data/dueDate",
                "format");
        assertRefused(SERVICER, payment("PAY-DATE2", "\"dueDate\": \"next tuesday\""), "/operations/0/data/dueDate",
                "format");
    }

    @Test
    void textsAreBoundedWhereTheSchemaLeavesThemOpenAndWhereTheyAreIndexed() {
        String longDate = "2026-12-01" + "x".repeat(1_000_000);
        // A megabyte in a date: over the record bound before anything else.
        assertRefused(SERVICER, payment("PAY-BIG", "\"dueDate\": \"" + longDate + "\""), "/operations/0/data",
                "maxBytes");
        // Payment.loanNumber is indexed and declares no maxLength.
        String loan = "L-" + "9".repeat(600);
        assertRefused(SERVICER, """
                {"operations": [{"op": "create", "type": "Payment", "id": "PAY-IDX", "data": {"paymentId": "PAY-IDX",
                  "loanNumber": "%s", "dueDate": "2026-12-01", "status": "scheduled",
                  "scheduledAmount": {"amount": "1.00", "currency": "USD"}}}]}""".formatted(loan),
                "/operations/0/data/loanNumber", "maxLength");
    }

    @Test
    void nestingAndOperationCountAreBounded() {
        String deep = "{\"a\": ".repeat(40) + "1" + "}".repeat(40);
        assertRefused(SERVICER, loanUpdate("\"notes\": " + deep), "/operations/0/patch", "maxDepth", true);
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\": \"delete\", \"type\": \"Payment\", \"id\": \"PAY-")
                    .append(i).append("\"}");
        }
        assertRefused(SERVICER, "{\"operations\": [" + ops + "]}", "/operations", "maxItems");
    }

    @Test
    void changingAHiddenRecordAnswersExactlyAsChangingAMissingOne() {
        long height = core.chain().height();
        for (String op : List.of("delete", "update", "grant", "revoke", "purge")) {
            String body = switch (op) {
                case "update" -> ", \"patch\": {\"status\": \"accepted\"}";
                case "grant", "revoke" -> ", \"access\": {\"read\": [\"securitizer\"]}";
                case "purge" -> ", \"purge\": {\"fields\": [\"email\"], \"reason\": \"probe\"}";
                default -> "";
            };
            // Only classified fields can be purged, and plans have none: a purge probes another's borrower.
            boolean purge = op.equals("purge");
            String hiddenId = purge ? "B-2" : "AP-2";
            String missingId = purge ? "B-404" : "AP-404";
            String hidden = submitFailure(HOME_OWNER, operation(op, purge ? "Borrower" : "AssistancePlan", hiddenId, body));
            String missing = submitFailure(HOME_OWNER, operation(op, purge ? "Borrower" : "AssistancePlan", missingId,
                    body));
            assertEquals("NotFoundException: " + (purge ? "Borrower/" : "AssistancePlan/") + hiddenId + " does not exist",
                    hidden, op);
            assertEquals(hidden.replace(hiddenId, missingId), missing, op + ": the same answer but for the id");
        }
        assertEquals(height, core.chain().height(), "the probes left nothing on the ledger");
        // Its own plan it reads, and it may accept it.
        commit(HOME_OWNER, plan("update", "AP-1", ", \"patch\": {\"status\": \"accepted\", "
                + "\"decisionDate\": \"2026-11-03\"}"));
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherRequestIsRefused() throws Exception {
        String first = payment("PAY-IK-1", "\"dueDate\": \"2026-12-01\"", ", \"idempotencyKey\": \"ik-1\"");
        TransactionOutcome committed = commit(SERVICER, first);
        TransactionOutcome repeat = submit(SERVICER, first);
        assertTrue(repeat.repeated());
        assertEquals(committed.txId(), repeat.txId());
        assertRefused(SERVICER, payment("PAY-IK-2", "\"dueDate\": \"2026-12-01\"", ", \"idempotencyKey\": \"ik-1\""),
                "/idempotencyKey", "idempotency");
        // The key is the party's own: another party may use the same one.
        commit(OWNER, loanUpdate("\"interestRate\": \"6.25\"").replace("{\"operations\"",
                "{\"idempotencyKey\": \"ik-1\", \"operations\""));
    }

    @Test
    void writeRulesMeanWhatTheySay() {
        commit(SERVICER, """
                {"operations": [{"op": "create", "type": "AssistancePlan", "id": "AP-3", "data": {"planId": "AP-3",
                  "loanNumber": "L-1", "kind": "forbearance", "status": "offered", "offeredDate": "2026-11-02"}}]}""");
        // The home owner may write the plan he reads, but not delete it: only its owner (the servicer) does.
        assertDenied(HOME_OWNER, plan("delete", "AP-3", ""), "x-access.delete of AssistancePlan");
        // He moves it only from offered to accepted or declined.
        assertDenied(HOME_OWNER, plan("update", "AP-3", ", \"patch\": {\"status\": \"completed\"}"),
                "x-transitions of AssistancePlan.status for home-owner");
        commit(HOME_OWNER, plan("update", "AP-3", ", \"patch\": {\"status\": \"declined\"}"));
        assertDenied(HOME_OWNER, plan("update", "AP-3", ", \"patch\": {\"status\": \"accepted\"}"),
                "x-transitions of AssistancePlan.status for home-owner");
        // The servicer is not limited by the home owner's transitions, and deletes what it owns.
        commit(SERVICER, plan("update", "AP-3", ", \"patch\": {\"status\": \"offered\"}"));
        commit(SERVICER, plan("delete", "AP-3", ""));
    }

    @Test
    void aRecordIsNotSharedWithEveryUserOfAPartyUnderARowsRule() throws Exception {
        MeshPrincipal securitizer = principal("securitizer", "securitizer-system", null);
        commit(securitizer, """
                {"operations": [{"op": "create", "type": "Security", "id": "S-1", "data": {"securityId": "S-1",
                  "name": "Pool S-1", "poolType": "agency-mbs", "status": "open"}}]}""");
        assertRefused(securitizer, """
                {"operations": [{"op": "grant", "type": "Security", "id": "S-1", "access": {"read": ["home-owner"]}}]}""",
                "/operations/0/access", "x-access.rows");
        // On a type with a rows rule a grant stays within it: B-1's user still does not see loan L-2.
        commit(OWNER, """
                {"operations": [{"op": "grant", "type": "Loan", "id": "L-2", "access": {"read": ["home-owner"]}}]}""");
        assertThrows(NotFoundException.class, () -> core.reader().get(HOME_OWNER, "Loan", "L-2", AsOf.NOW));
        assertEquals("L-1", core.reader().get(HOME_OWNER, "Loan", "L-1", AsOf.NOW).id());
    }

    @Test
    void aCommitLevelTheNodeCannotHonourIsRefused() {
        assertRefused(SERVICER, payment("PAY-ACC", "\"dueDate\": \"2026-12-01\"", ", \"commit\": \"accepted\""),
                "/commit", "enum");
    }

    @Test
    void valuesWithinTheBoundsPass() {
        commit(SERVICER, payment("PAY-OK", "\"dueDate\": \"2026-12-01\"", ", \"source\": {\"system\": \"crm\", "
                + "\"reference\": \"Payment__c/a0B ü😀\"}"));
        commit(SERVICER, loanUpdate("\"termMonths\": 3.6e2"));
    }

    private static String payment(String id, String dueDate) {
        return payment(id, dueDate, "");
    }

    private static String payment(String id, String dueDate, String more) {
        return """
                {"operations": [{"op": "create", "type": "Payment", "id": "%s", "data": {"paymentId": "%s",
                  "loanNumber": "L-1", %s, "status": "scheduled",
                  "scheduledAmount": {"amount": "1944.35", "currency": "USD"}}}]%s}""".formatted(id, id, dueDate, more);
    }

    private static String loanUpdate(String patch) {
        return "{\"operations\": [{\"op\": \"update\", \"type\": \"Loan\", \"id\": \"L-1\", \"patch\": {" + patch + "}}]}";
    }

    private static String plan(String op, String id, String body) {
        return operation(op, "AssistancePlan", id, body);
    }

    private static String operation(String op, String type, String id, String body) {
        return "{\"operations\": [{\"op\": \"" + op + "\", \"type\": \"" + type + "\", \"id\": \"" + id + "\"" + body
                + "}]}";
    }

    private void assertRefused(MeshPrincipal who, String json, String pointer, String rule) {
        assertRefused(who, json, pointer, rule, false);
    }

    /** Refused at submit with a problem at {@code pointer} (or under it) breaking {@code rule}; nothing written. */
    private void assertRefused(MeshPrincipal who, String json, String pointer, String rule, boolean under) {
        long height = core.chain().height();
        InvalidTransactionException refused = assertThrows(InvalidTransactionException.class,
                () -> submit(who, json));
        List<FieldProblem> problems = refused.problems();
        assertTrue(problems.stream().anyMatch(p -> p.rule().equals(rule)
                && (under ? p.pointer().startsWith(pointer) : p.pointer().equals(pointer))),
                "expected " + rule + " at " + pointer + ", got " + problems);
        assertFalse(problems.stream().anyMatch(p -> p.message().contains("SQL")), problems.toString());
        assertEquals(height, core.chain().height(), "nothing was ordered");
    }

    /** Rejected by the apply step for the access rule named, and recorded so. */
    private void assertDenied(MeshPrincipal who, String json, String rule) {
        TransactionOutcome outcome = submit(who, json);
        assertEquals(TransactionStatus.REJECTED, outcome.status());
        assertEquals(RejectionCode.ACCESS_DENIED, outcome.rejection().code());
        assertTrue(outcome.rejection().rule().startsWith(rule), outcome.rejection().rule());
    }

    private String submitFailure(MeshPrincipal who, String json) {
        try {
            TransactionOutcome outcome = submit(who, json);
            return "answered " + outcome.status() + " " + outcome.rejection();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private TransactionOutcome commit(MeshPrincipal who, String json) {
        TransactionOutcome outcome = submit(who, json);
        assertEquals(TransactionStatus.COMMITTED, outcome.status(), () -> String.valueOf(outcome.rejection()));
        return outcome;
    }

    private TransactionOutcome submit(MeshPrincipal who, String json) {
        try {
            return core.submitter().submit(who, TransactionRequests.parse(Json.parse(json))).get(30, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MeshPrincipal principal(String party, String name, String link) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.SYSTEM, name, name,
                Set.of(Role.EDITOR, Role.VIEWER, Role.PARTY_ADMIN), link);
    }
}
