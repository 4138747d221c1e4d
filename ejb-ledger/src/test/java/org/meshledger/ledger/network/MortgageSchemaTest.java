package org.meshledger.ledger.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SchemaViolation;

/** The mortgage-servicing schema accepts realistic records and names the field and rule it refuses. */
class MortgageSchemaTest {

    private final RecordType loan = DemoNetwork.get().schema().type("Loan").orElseThrow();

    static final String LOAN = """
            {"loanNumber": "L-1001", "borrowerId": "B-1", "propertyId": "P-1", "productType": "fixed-30",
             "originalPrincipal": {"amount": "320000.00", "currency": "USD"},
             "unpaidPrincipal": {"amount": "301234.56", "currency": "USD"},
             "interestRate": "6.125", "termMonths": 360, "monthlyPayment": {"amount": "1944.35", "currency": "USD"},
             "originationDate": "2024-03-01", "maturityDate": "2054-03-01", "nextDueDate": "2026-12-01",
             "status": "current"}
            """;

    @Test
    void aRealisticLoanIsValid() {
        assertEquals(List.of(), loan.validate(Json.parse(LOAN)));
    }

    @Test
    void aBadAmountNamesTheFieldAndTheRule() {
        List<SchemaViolation> violations = loan.validate(Json.parse(LOAN.replace("\"320000.00\"", "\"320,000\"")));

        assertEquals(1, violations.size(), violations.toString());
        assertEquals("/originalPrincipal/amount", violations.get(0).field());
        assertEquals("pattern", violations.get(0).rule());
    }

    @Test
    void aMissingRequiredFieldAndAnUnknownStatusAreBothNamed() {
        List<SchemaViolation> violations = loan.validate(Json.parse(LOAN
                .replace("\"termMonths\": 360,", "").replace("\"current\"", "\"late\"")));

        assertTrue(violations.stream().anyMatch(v -> v.rule().equals("required") && v.field().equals("/termMonths")),
                violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.rule().equals("enum") && v.field().equals("/status")),
                violations.toString());
    }

    @Test
    void anUnknownFieldIsRefused() {
        List<SchemaViolation> violations = loan.validate(Json.parse(LOAN.replace("\"status\"", "\"colour\": \"red\", \"status\"")));

        assertTrue(violations.stream().anyMatch(v -> v.rule().equals("additionalProperties") && v.field().equals("/colour")), violations.toString());
    }
}
