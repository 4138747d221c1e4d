package org.meshledger.connect.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorSettings;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.testkit.EmbeddedLedger;
import org.meshledger.ledger.json.Json;

/** Field mapping as configuration, against the demo network's schema. */
class RecordMappingTest {

    private static final MappingLoader LOADER = new MappingLoader(EmbeddedLedger.network().schema());

    static RecordMapping mapping(String json) {
        return LOADER.load(new ConnectorSettings(Json.parse(json), "mapping"));
    }

    static SourceRecord record(String object, String fieldsJson) {
        return new SourceRecord(object, "ext-1", ChangeKind.UPSERT, (ObjectNode) Json.parse(fieldsJson), false, "c1",
                null, null);
    }

    private static final String BORROWER = """
            {"type": "Borrower", "object": "Contact",
             "fields": {
               "borrowerId": "External_Id__c",
               "fullName": "Name",
               "mailingAddress.line1": "MailingStreet",
               "mailingAddress.city": "MailingCity",
               "mailingAddress.postalCode": "MailingPostalCode",
               "mailingAddress.country": {"system": "MailingCountry", "values": {"United States": "US", "Canada": "CA"}},
               "annualIncome": {"system": "Income__c", "currencyField": "CurrencyIsoCode"},
               "creditScore": "Score__c",
               "dateOfBirth": "Birthdate"
             },
             "unknownFields": "reject", "metadataFields": ["Id", "attributes"]}
            """;

    @Test
    void systemRecordsBecomeLedgerValuesOfTheSchemasKinds() {
        RecordMapping m = mapping(BORROWER);
        LedgerValues values = m.toLedger(record("Contact", """
                {"Id": "003A", "External_Id__c": "B-1", "Name": "Ada", "MailingStreet": "1 Main St",
                 "MailingCity": "Springfield", "MailingPostalCode": "12345", "MailingCountry": "United States",
                 "Income__c": 85000.5, "CurrencyIsoCode": "USD", "Score__c": "712", "Birthdate": "1980-02-29"}
                """));
        assertEquals("B-1", values.id());
        ObjectNode state = m.newRecord(values);
        assertEquals("Springfield", state.path("mailingAddress").path("city").asText());
        assertEquals("US", state.path("mailingAddress").path("country").asText());
        assertEquals("85000.50", state.path("annualIncome").path("amount").asText());
        assertEquals("USD", state.path("annualIncome").path("currency").asText());
        assertEquals(712, state.path("creditScore").asInt());
        assertTrue(state.path("creditScore").isInt());
        assertEquals("1980-02-29", state.path("dateOfBirth").asText());
        assertEquals(java.util.List.of(), EmbeddedLedger.network().schema().type("Borrower").orElseThrow()
                .validate(state), "the mapped record fits the schema");
    }

    @Test
    void aPatchHoldsOnlyWhatChangedAndClearsWhatTheSystemCleared() {
        RecordMapping m = mapping(BORROWER);
        JsonNode current = Json.parse("""
                {"borrowerId": "B-1", "fullName": "Ada", "annualIncome": {"amount": "85000.50", "currency": "USD"},
                 "creditScore": 712, "mailingAddress": {"line1": "1 Main St", "city": "Springfield",
                 "postalCode": "12345", "country": "US"}}""");
        LedgerValues values = m.toLedger(record("Contact", """
                {"External_Id__c": "B-1", "Income__c": "85000.500", "CurrencyIsoCode": "USD", "Score__c": 720,
                 "MailingCity": "Shelbyville", "Name": null}"""));
        ObjectNode patch = m.patch(values, current);
        assertEquals(Json.parse("""
                {"creditScore": 720, "mailingAddress": {"city": "Shelbyville"}, "fullName": null}"""), patch);
    }

    /** Hostile numbers from a source are refused by their size before the mapping computes with them. */
    @Test
    void hostileNumbersAreRefusedBeforeUse() {
        RecordMapping m = mapping(BORROWER);
        for (String hostile : new String[] {"\"1e999999999\"", "\"-1E-999999999\"", "1e999999999"}) {
            MappingException e = assertThrows(MappingException.class, () -> m.toLedger(record("Contact",
                    "{\"External_Id__c\": \"B-1\", \"Score__c\": " + hostile + "}")));
            assertTrue(e.getMessage().startsWith("Contact ext-1 field Score__c: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("is out of range: a decimal number's exponent is between -1000 and 1000"),
                    e.getMessage());
        }
        String digits = "9".repeat(10_000);
        MappingException e = assertThrows(MappingException.class, () -> m.toLedger(record("Contact",
                "{\"External_Id__c\": \"B-1\", \"Score__c\": \"" + digits + "\"}")));
        assertEquals("Contact ext-1 field Score__c: a decimal number is at most 64 characters long, not 10000",
                e.getMessage());
    }

    @Test
    void errorsNameTheRecordAndTheField() {
        RecordMapping m = mapping(BORROWER);
        MappingException unknown = assertThrows(MappingException.class, () -> m.toLedger(record("Contact",
                "{\"External_Id__c\": \"B-1\", \"Shoe_Size__c\": 9}")));
        assertEquals("Contact ext-1 field Shoe_Size__c: is not in the mapping of Contact to Borrower (the mapping "
                + "rejects unknown fields)", unknown.getMessage());
        MappingException value = assertThrows(MappingException.class, () -> m.toLedger(record("Contact",
                "{\"External_Id__c\": \"B-1\", \"MailingCountry\": \"Atlantis\"}")));
        assertEquals("Contact ext-1 field MailingCountry: 'Atlantis' has no ledger value in the mapping (known: "
                + "Canada, United States)", value.getMessage());
        MappingException number = assertThrows(MappingException.class, () -> m.toLedger(record("Contact",
                "{\"External_Id__c\": \"B-1\", \"Score__c\": \"seven\"}")));
        assertEquals("Contact ext-1 field Score__c: 'seven' is not a number", number.getMessage());
        MappingException currency = assertThrows(MappingException.class, () -> m.toLedger(record("Contact",
                "{\"External_Id__c\": \"B-1\", \"Income__c\": 10}")));
        assertEquals("Contact ext-1 field CurrencyIsoCode: the currency of Income__c is missing", currency.getMessage());
    }

    @Test
    void ledgerStatesBecomeTheSystemsFields() {
        RecordMapping m = mapping("""
                {"type": "Payment", "object": "Payment__c",
                 "fields": {"paymentId": "MeshLedger_Id__c", "dueDate": {"system": "Due__c", "format": "dd.MM.yyyy"},
                            "scheduledAmount": {"system": "Cents__c", "factor": 100, "currency": "USD"},
                            "status": {"system": "Status__c", "values": {"Missed": "missed", "MISSED": "missed",
                                                                          "Paid": "received"}}}}""");
        ObjectNode fields = m.toSystem(Json.parse("""
                {"paymentId": "PAY-1", "dueDate": "2026-11-01", "status": "missed",
                 "scheduledAmount": {"amount": "1500.25", "currency": "USD"}, "loanNumber": "L-1"}"""), "Payment PAY-1 v1");
        assertEquals("PAY-1", fields.path("MeshLedger_Id__c").asText());
        assertEquals("01.11.2026", fields.path("Due__c").asText());
        assertEquals(0, new java.math.BigDecimal("150025").compareTo(fields.path("Cents__c").decimalValue()));
        assertEquals("MISSED", fields.path("Status__c").asText(), "the first code of a value, in order");
        assertEquals(4, fields.size(), "only mapped fields: " + fields);

        MappingException february = assertThrows(MappingException.class, () -> m.toLedger(record("Payment__c",
                "{\"MeshLedger_Id__c\": \"PAY-1\", \"Due__c\": \"31.02.2026\"}")));
        assertEquals("Payment__c ext-1 field Due__c: '31.02.2026' is not a date in the format dd.MM.yyyy",
                february.getMessage(), "no day is moved to fit the month");
        assertEquals("2026-02-28", m.toLedger(record("Payment__c", "{\"MeshLedger_Id__c\": \"PAY-1\", "
                + "\"Due__c\": \"28.02.2026\"}")).values().values().stream().skip(1).findFirst().orElseThrow().asText());

        MappingException euro = assertThrows(MappingException.class, () -> m.toSystem(Json.parse("""
                {"paymentId": "PAY-1", "scheduledAmount": {"amount": "1", "currency": "EUR"}}"""), "Payment PAY-1 v2"));
        assertEquals("Payment PAY-1 v2 field scheduledAmount: an amount in EUR cannot be written to Cents__c, which holds "
                + "USD only", euro.getMessage());
    }

    @Test
    void aMappingThatDoesNotFitTheSchemaIsRefusedWithWhere() {
        assertEquals("mapping.type names 'Lone', which is not a type of the network's schema",
                assertThrows(ConnectorConfigException.class, () -> mapping(
                        "{\"type\": \"Lone\", \"object\": \"X\", \"fields\": {\"a\": \"b\"}}")).getMessage());
        assertEquals("mapping.fields.loanNumbr: 'loanNumbr' is not a field of Loan in the network's schema",
                assertThrows(ConnectorConfigException.class, () -> mapping(
                        "{\"type\": \"Loan\", \"object\": \"X\", \"fields\": {\"loanNumbr\": \"N\"}}")).getMessage());
        assertEquals("mapping.fields must map Loan's key field 'loanNumber' (the system field that holds it is the "
                + "external id)", assertThrows(ConnectorConfigException.class, () -> mapping(
                        "{\"type\": \"Loan\", \"object\": \"X\", \"fields\": {\"status\": \"S\"}}")).getMessage());
        assertEquals("mapping.fields.originalPrincipal maps money: give its \"currency\" (e.g. USD) or the "
                + "\"currencyField\" that holds it", assertThrows(ConnectorConfigException.class, () -> mapping("""
                        {"type": "Loan", "object": "X", "fields": {"loanNumber": "N", "originalPrincipal": "P"}}"""))
                .getMessage());
        assertEquals("mapping.fields.originationDate.format is not a date pattern: Unknown pattern letter: b",
                assertThrows(ConnectorConfigException.class, () -> mapping("""
                        {"type": "Loan", "object": "X", "fields": {"loanNumber": "N",
                         "originationDate": {"system": "D", "format": "bb"}}}""")).getMessage());
        assertEquals("mapping.direction must be inbound, outbound or both, not 'sideways'",
                assertThrows(ConnectorConfigException.class, () -> mapping("""
                        {"type": "Loan", "object": "X", "direction": "sideways", "fields": {"loanNumber": "N"}}"""))
                .getMessage());
    }
}
