package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.update;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.events.BlockEvents;
import org.meshledger.ledger.events.PartyChanges;
import org.meshledger.ledger.events.PartyEvent;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.transaction.FieldProblem;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.SubmitChecks;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * A purge reaches every copy the node controls on the way out: the party topics never carry a
 * classified (pii, confidential) value, only a reference read through the API; an event built from
 * the outbox after a purge holds nothing of the purged value; and only classified fields, those no
 * topic holds, can be purged. (The connectors' copies: {@code ConnectorRuntimeTest} in camel-routes.)
 */
class PurgeReachTest {

    private static final String TAX_ID = "123-45-6789";
    private static final String EMAIL = "ada@example.org";
    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SONIA = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.USER, "sonia",
            "sub-sonia", Set.of(Role.VIEWER, Role.PARTY_ADMIN));
    private static final List<PartyId> PARTIES = DemoNetwork.get().parties().stream().map(PartyDefinition::id)
            .toList();

    private static Operation purge(String id, String fields) {
        return new Operation(OperationKind.PURGE, "Borrower", id, null,
                Json.parse("{\"fields\": " + fields + ", \"reason\": \"erasure request\"}"));
    }

    private static List<PartyEvent> events(TestLedger ledger, long from, long to) throws Exception {
        return new BlockEvents(DemoNetwork.get(), new AccessPolicy())
                .of(new OutboxStore(ledger.dataSource, ledger.store).changesOfBlocks(from, to));
    }

    private static String text(PartyEvent event) {
        return new String(event.event().getData().toBytes(), StandardCharsets.UTF_8);
    }

    private static JsonNode data(PartyEvent event) {
        return Json.parse(text(event));
    }

    @Test
    void partyEventsCarryPiiByReferenceWhileTheConnectorsFeedKeepsTheValues() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 1, "{\"email\": \"" + EMAIL + "\"}"));

            List<PartyEvent> events = events(ledger, 1, ledger.chain.height());
            assertEquals(Set.of("servicer", "loan-owner", "securitizer"), events.stream()
                    .map(e -> e.party().value()).collect(Collectors.toSet()), "the parties reading borrowers");
            for (PartyEvent event : events) {
                String text = text(event);
                assertFalse(text.contains(TAX_ID) || text.contains("Ada") || text.contains(EMAIL),
                        "no pii value on any topic: " + text);
            }
            JsonNode created = data(events.stream().filter(e -> e.party().value().equals("servicer")).findFirst()
                    .orElseThrow());
            assertEquals("{\"$ref\":\"/api/records/Borrower/B-1/versions/1#/taxId\",\"classification\":\"pii\"}",
                    created.at("/state/taxId").toString(), "the tax id by reference to its version");
            assertEquals("B-1", created.at("/state/borrowerId").asText(), "what is not classified goes by value");
            assertEquals(Json.parse("{\"op\": \"add\", \"path\": \"/taxId\", \"value\": {\"$ref\": "
                    + "\"/api/records/Borrower/B-1/versions/1#/taxId\", \"classification\": \"pii\"}}"),
                    find(created.get("change"), "/taxId"), "the change adds the reference");
            JsonNode updated = data(events.stream().filter(e -> e.party().value().equals("loan-owner")
                    && e.event().getId().equals("Borrower/B-1/2")).findFirst().orElseThrow());
            assertEquals("[{\"op\":\"add\",\"path\":\"/email\",\"value\":{\"$ref\":"
                    + "\"/api/records/Borrower/B-1/versions/2#/email\",\"classification\":\"pii\"}}]",
                    updated.get("change").toString(), "an unchanged classified field is no change, whatever its reference");
            assertEquals("/api/records/Borrower/B-1/versions/2#/taxId", updated.at("/state/taxId/$ref").asText());

            // The connectors' feed (OutboundFeed) takes PartyChanges: the party's own systems get the values.
            PartyChanges.PartyChange toCrm = new PartyChanges(DemoNetwork.get(), new AccessPolicy())
                    .of(new OutboxStore(ledger.dataSource, ledger.store).changesOfBlocks(2, 2), List.of(
                            new PartyId("servicer"))).get(0);
            assertEquals(TAX_ID, toCrm.state().path("taxId").asText());
            assertEquals(EMAIL, toCrm.state().path("email").asText());
        }
    }

    @Test
    void anEventBuiltAfterAPurgeForAVersionPublishedBeforeItHoldsNothingOfTheValue() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 1, "{\"email\": \"" + EMAIL + "\"}"));
            long beforePurge = ledger.chain.height();
            JsonNode published = data(events(ledger, 1, 1).get(0));
            assertTrue(published.at("/state/taxId").has("$ref"), "before the purge: a reference");

            assertEquals(TransactionStatus.COMMITTED, ledger.commit(SONIA, null, purge("B-1", "[\"taxId\", \"email\"]"))
                    .status());

            // The same blocks, waiting in the outbox or published again after a restart: built now.
            List<PartyEvent> again = events(ledger, 1, beforePurge);
            assertFalse(again.isEmpty());
            for (PartyEvent event : again) {
                JsonNode data = data(event);
                assertFalse(data.path("state").has("taxId") || data.path("state").has("email"),
                        "no reference to a value that is gone: " + data);
                assertFalse(text(event).contains("taxId") || text(event).contains(TAX_ID)
                        || text(event).contains(EMAIL), text(event));
            }
            List<PartyEvent> ofThePurge = events(ledger, beforePurge + 1, ledger.chain.height());
            for (PartyEvent event : ofThePurge) {
                assertEquals("org.meshledger.record.purge", event.event().getType());
                assertFalse(text(event).contains(TAX_ID) || text(event).contains(EMAIL), text(event));
            }
            // What the connectors' feed builds from the outbox lost the values too.
            for (PartyChanges.PartyChange change : new PartyChanges(DemoNetwork.get(), new AccessPolicy())
                    .of(new OutboxStore(ledger.dataSource, ledger.store).changesOfBlocks(1, beforePurge), PARTIES)) {
                assertFalse(Json.write(change.state()).contains(TAX_ID) || Json.write(change.state()).contains(EMAIL));
            }
        }
    }

    @Test
    void onlyPiiOrConfidentialFieldsCanBePurged() {
        SubmitChecks checks = new SubmitChecks(DemoNetwork.get().schema(), new AccessPolicy(), Set.copyOf(PARTIES));
        InvalidTransactionException refused = assertThrows(InvalidTransactionException.class, () -> checks.check(SONIA,
                new TransactionRequest(null, null, null, null, List.of(new Operation(OperationKind.PURGE, "Loan",
                        "L-1", null, Json.parse("{\"fields\": [\"status\"], \"reason\": \"r\"}"))))));
        FieldProblem problem = refused.problems().get(0);
        assertEquals("/operations/0/purge/fields", problem.pointer());
        assertEquals("Loan.status: only pii or confidential fields can be purged: they never travel on the event "
                + "topics", problem.message());
        // Classified ones can: pii (Borrower.taxId), confidential (Borrower.creditScore, Loan.servicingGuidance).
        checks.check(SONIA, new TransactionRequest(null, null, null, null, List.of(purge("B-1",
                "[\"taxId\", \"creditScore\"]"))));
        checks.check(SONIA, new TransactionRequest(null, null, null, null, List.of(new Operation(OperationKind.PURGE,
                "Loan", "L-1", null, Json.parse("{\"fields\": [\"servicingGuidance\"], \"reason\": \"r\"}")))));
    }

    private static JsonNode find(JsonNode patch, String path) {
        for (JsonNode op : patch) {
            if (op.path("path").asText().equals(path)) {
                return op;
            }
        }
        return null;
    }
}
