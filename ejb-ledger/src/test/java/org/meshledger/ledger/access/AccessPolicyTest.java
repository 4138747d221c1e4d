package org.meshledger.ledger.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.schema.RecordType;

class AccessPolicyTest {

    private static final PartyId SERVICER = new PartyId("servicer");
    private static final PartyId LOAN_OWNER = new PartyId("loan-owner");
    private static final PartyId SECURITIZER = new PartyId("securitizer");
    private static final PartyId HOME_OWNER = new PartyId("home-owner");

    private final AccessPolicy policy = new AccessPolicy();
    private final RecordType borrower = type("Borrower");

    private final JsonNode borrowerState = Json.parse("""
            {"borrowerId": "B-1", "fullName": "Ada Homeowner", "taxId": "123-45-6789",
             "annualIncome": {"amount": "98000.00", "currency": "USD"}, "creditScore": 712}
            """);

    @Test
    void aBorrowersTaxIdIsReadOnlyByTheServicerAndTheLoanOwner() {
        assertTrue(policy.canReadField(SERVICER, borrower, "taxId"));
        assertTrue(policy.canReadField(LOAN_OWNER, borrower, "taxId"));
        assertFalse(policy.canReadField(SECURITIZER, borrower, "taxId"));
        assertFalse(policy.canReadField(HOME_OWNER, borrower, "taxId"));
    }

    @Test
    void aReadableViewLeavesOutWhatThePartyMayNotRead() {
        JsonNode securitizerView = policy.readableView(SECURITIZER, borrower, borrowerState);

        assertEquals(Set.of("borrowerId"), names(securitizerView), "no name, tax id, income or score");
        assertEquals(Set.of("borrowerId", "fullName", "taxId", "annualIncome", "creditScore"),
                names(policy.readableView(SERVICER, borrower, borrowerState)));
    }

    @Test
    void aFieldGrantOnARecordAddsToTheSchemasDefaultsForThatRecordOnly() {
        RecordAccess shared = RecordAccess.parse(Json.parse("""
                {"fields": {"taxId": {"read": ["securitizer"]}}}"""));

        assertEquals(Set.of("borrowerId", "taxId"), names(policy.readableView(SECURITIZER, borrower, borrowerState, shared)));
        assertEquals(Set.of("borrowerId"), names(policy.readableView(SECURITIZER, borrower, borrowerState)),
                "another record shares nothing");
        assertFalse(policy.canReadField(HOME_OWNER, borrower, "taxId", shared), "shared with the securitizer only");
    }

    @Test
    void aRecordGrantLetsAPartyReadATypeItOtherwiseMayNot() {
        RecordType security = type("Security");
        RecordAccess shared = RecordAccess.parse(Json.parse("{\"read\": [\"home-owner\"]}"));

        assertFalse(policy.canRead(HOME_OWNER, security));
        assertTrue(policy.canRead(HOME_OWNER, security, shared));
        assertFalse(policy.canRead(HOME_OWNER, security, RecordAccess.NONE.plus(shared).minus(shared)), "revoked");
    }

    @Test
    void aWriteGrantLetsAPartyWriteTheRecordButNotAFieldWithItsOwnRule() {
        RecordType loan = type("Loan");
        RecordAccess shared = RecordAccess.parse(Json.parse("{\"write\": [\"securitizer\"]}"));

        policy.checkWrite(SECURITIZER, loan, List.of("nextDueDate"), shared);
        assertThrows(AccessDeniedException.class, () -> policy.checkWrite(SECURITIZER, loan, List.of("nextDueDate")));
        assertThrows(AccessDeniedException.class,
                () -> policy.checkWrite(SECURITIZER, loan, List.of("status"), shared));
    }

    @Test
    void grantsAndRevocationsCombineAndAreWrittenInOneOrder() {
        RecordAccess a = RecordAccess.parse(Json.parse("""
                {"read": ["servicer", "home-owner"], "fields": {"taxId": {"read": ["securitizer"]}}}"""));
        RecordAccess b = RecordAccess.parse(Json.parse("""
                {"fields": {"taxId": {"read": ["securitizer"]}, "creditScore": {"read": ["home-owner"]}}}"""));

        assertEquals("{\"read\":[\"home-owner\",\"servicer\"],\"fields\":{\"creditScore\":{\"read\":[\"home-owner\"]},"
                + "\"taxId\":{\"read\":[\"securitizer\"]}}}", a.plus(b).stored());
        assertEquals("{\"read\":[\"home-owner\",\"servicer\"]}", a.minus(b).stored(), "an empty field grant goes");
        assertNull(a.minus(a).stored(), "nothing shared is no access at all");
        assertThrows(IllegalArgumentException.class, () -> RecordAccess.parse(Json.parse("{\"reads\": []}")));
    }

    @Test
    void aPartyThatMayNotReadATypeSeesNothing() {
        JsonNode security = Json.parse("{\"securityId\": \"S-1\", \"name\": \"Pool\"}");

        assertNull(policy.readableView(HOME_OWNER, type("Security"), security));
    }

    @Test
    void writingATypeThePartyMayNotWriteIsDeniedWithTheRule() {
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.checkWrite(HOME_OWNER, type("Loan"), List.of("status")));

        assertEquals("x-access.write of Loan: [loan-owner, servicer]", denied.rule());
    }

    @Test
    void writingAFieldThePartyMayNotWriteIsDeniedWithTheFieldsRule() {
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.checkWrite(SERVICER, type("Loan"), List.of("unpaidPrincipal", "servicingGuidance")));

        assertEquals("x-access.write of Loan.servicingGuidance: [loan-owner]", denied.rule());
    }

    @Test
    void theHomeOwnerMayAnswerAnAssistancePlanButNotChangeItsTerms() {
        policy.checkWrite(HOME_OWNER, type("AssistancePlan"), List.of("status", "decisionDate"));

        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.checkWrite(HOME_OWNER, type("AssistancePlan"), List.of("status", "monthlyPayment")));
        assertEquals("x-access.write of AssistancePlan.monthlyPayment: [servicer]", denied.rule());
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static RecordType type(String name) {
        return DemoNetwork.get().schema().type(name).orElseThrow();
    }
}
