package org.meshledger.ledger.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.Classification;
import org.meshledger.ledger.schema.RecordType;

class NetworkLoaderTest {

    @Test
    void loadsTheMortgageServicingNetwork() {
        NetworkDefinition network = DemoNetwork.get();

        assertEquals("mortgage-servicing", network.id());
        assertEquals(List.of("home-owner", "loan-owner", "securitizer", "servicer"),
                network.parties().stream().map(p -> p.id().value()).toList());
        assertEquals(List.of("AssistancePlan", "Borrower", "Delinquency", "Disclosure", "Loan", "LoanInclusion",
                "Payment", "Property", "Security"), network.schema().types().stream().map(RecordType::name).toList());
        RecordType borrower = network.schema().type("Borrower").orElseThrow();
        assertEquals("borrowerId", borrower.keyField());
        assertEquals(Classification.PII, borrower.field("taxId").classification());
        assertEquals("P7Y", borrower.field("taxId").retention().period().toString());
        assertEquals("Borrower", network.schema().type("Loan").orElseThrow().field("borrowerId").references());
    }

    @Test
    void anUnknownPartyInAnAccessRuleIsNamed() {
        NetworkDefinitionException e = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Loan/x-access")).set("read", Json.parse("[\"bank\"]"))));

        assertTrue(e.getMessage().contains("$defs.Loan: x-access.read names 'bank', which is no party"), e.getMessage());
    }

    @Test
    void rowsRulesAreReadAsPathsAndAWrongStepIsNamed() {
        RecordType payment = DemoNetwork.get().schema().type("Payment").orElseThrow();
        assertEquals("Borrower", payment.rows(new org.meshledger.ledger.identity.PartyId("home-owner")).link());
        assertEquals(List.of("loanNumber", "borrowerId"), payment.rows(new org.meshledger.ledger.identity.PartyId(
                "home-owner")).steps().stream().map(org.meshledger.persistence.ledger.RowScope.Step::field).toList());

        NetworkDefinitionException notAReference = assertThrows(NetworkDefinitionException.class, () -> loadChanged(
                root -> ((ObjectNode) root.at("/schema/$defs/Payment/x-access/rows/home-owner")).set("path",
                        Json.parse("[\"dueDate\", \"borrowerId\"]"))));
        assertTrue(notAReference.getMessage().contains("Payment.x-access.rows.home-owner.path[0] 'dueDate' must be a "
                + "field of Payment with x-references"), notAReference.getMessage());
        NetworkDefinitionException wrongEnd = assertThrows(NetworkDefinitionException.class, () -> loadChanged(
                root -> ((ObjectNode) root.at("/schema/$defs/Payment/x-access/rows/home-owner")).set("path",
                        Json.parse("[\"loanNumber\", \"propertyId\"]"))));
        assertTrue(wrongEnd.getMessage().contains("'propertyId' must be a field of Loan that holds a Borrower key"),
                wrongEnd.getMessage());
    }

    @Test
    void aRetentionAfterAnUnknownEventOrThatLeadsNowhereIsRefused() {
        NetworkDefinitionException unknown = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Borrower/properties/taxId/x-retention")).put("after", "moon-landing")));
        assertTrue(unknown.getMessage().contains("Borrower.taxId.x-retention.after 'moon-landing' is neither 'recorded' "
                + "nor an event of x-events"), unknown.getMessage());
        NetworkDefinitionException nowhere = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Borrower/properties/taxId/x-retention")).put("via", "^Payment.loanNumber")));
        assertTrue(nowhere.getMessage().contains("x-retention.via must lead from Borrower to the Loan records"),
                nowhere.getMessage());
        NetworkDefinitionException unpurgeable = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Borrower/properties/taxId")).put("x-classification", "internal")));
        assertTrue(unpurgeable.getMessage().contains("x-retention needs x-classification pii or confidential"),
                unpurgeable.getMessage());
    }

    @Test
    void aKeyThatIsNotRequiredIsRefused() {
        NetworkDefinitionException e = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Payment")).set("required", Json.parse("[\"loanNumber\"]"))));

        assertTrue(e.getMessage().contains("$defs.Payment: x-key 'paymentId' must be required"), e.getMessage());
    }

    @Test
    void anIndexOnAnUnknownOrStructuredPropertyIsRefused() {
        NetworkDefinitionException unknown = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Loan")).set("x-indexes", Json.parse("[\"colour\"]"))));
        assertTrue(unknown.getMessage().contains("x-indexes names unknown property 'colour'"), unknown.getMessage());
    }

    @Test
    void derivationFromAnUnknownTypeIsRefusedAndTheDemoLineageIsRead() {
        NetworkDefinitionException unknown = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Delinquency")).set("x-derivedFrom", Json.parse("[\"Weather\"]"))));
        assertTrue(unknown.getMessage().contains("Delinquency x-derivedFrom names 'Weather', which is not another record type"),
                unknown.getMessage());
        assertEquals(java.util.List.of("Payment", "Loan"),
                DemoNetwork.get().schema().type("Delinquency").orElseThrow().derivedFrom());
    }

    @Test
    void anInvalidJsonSchemaIsRefusedWithItsLocation() {
        NetworkDefinitionException e = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Loan/properties/termMonths")).put("minimum", "one")));

        assertTrue(e.getMessage().contains("not a valid JSON Schema 2020-12"), e.getMessage());
        assertTrue(e.getMessage().contains("termMonths"), e.getMessage());
    }

    @Test
    void anUnknownClassificationIsRefused() {
        NetworkDefinitionException e = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/schema/$defs/Borrower/properties/taxId")).put("x-classification", "secret")));

        assertTrue(e.getMessage().contains("x-classification 'secret'"), e.getMessage());
    }

    @Test
    void aPartyWithoutAnEd25519KeyIsRefused() {
        NetworkDefinitionException e = assertThrows(NetworkDefinitionException.class, () -> loadChanged(root ->
                ((ObjectNode) root.at("/parties/0")).put("signingKey", "bm90IGEga2V5")));

        assertTrue(e.getMessage().contains("signingKey of party 'loan-owner' is not an Ed25519 public key"),
                e.getMessage());
    }

    private static NetworkDefinition loadChanged(Consumer<com.fasterxml.jackson.databind.JsonNode> change)
            throws Exception {
        com.fasterxml.jackson.databind.JsonNode root;
        try (var in = NetworkLoaderTest.class.getResourceAsStream(DemoNetwork.RESOURCE)) {
            root = Json.MAPPER.readTree(in);
        }
        change.accept(root);
        return new NetworkLoader().load(new ByteArrayInputStream(Json.write(root).getBytes(StandardCharsets.UTF_8)),
                "changed network");
    }
}
