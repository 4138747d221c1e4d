package org.meshledger.connect.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.testkit.Await;
import org.meshledger.connect.testkit.ConnectorsHarness;
import org.meshledger.connect.testkit.EmbeddedLedger;
import org.meshledger.connect.testkit.MemorySystem;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.connector.DeadLetterRow;
import org.meshledger.persistence.connector.RecordLink;

/**
 * A purge reaches the connectors' copies of a record, in the purge's own database transaction: the
 * system's fields a link keeps as last read or written, and the payloads of the record's dead
 * letters, inbound and outbound. Other records keep theirs; the letters stay, saying why they are
 * empty; the next whole record from the system is taken in as new.
 */
class PurgeConnectorCopiesTest {

    private static final String TAX_ID = "123-45-6789";

    /** The servicer's CRM: its contacts are the ledger's borrowers (taken in only, so nothing races the test). */
    static final String CRM = """
            {"id": "servicer-crm", "kind": "memory", "party": "servicer", "system": "crm",
             "retry": {"maxAttempts": 2, "firstDelayMs": 20, "maxDelayMs": 50},
             "mappings": [{
               "type": "Borrower", "object": "Contact", "direction": "inbound",
               "fields": {"borrowerId": "Id", "fullName": "Name", "taxId": "SSN", "email": "Email"}
             }]}
            """;

    /** The loan owner's system: borrowers written out, which it refuses for B-1. */
    static final String OWNER = """
            {"id": "owner-borrowers", "kind": "memory", "party": "loan-owner",
             "retry": {"maxAttempts": 2, "firstDelayMs": 20, "maxDelayMs": 50},
             "mappings": [{
               "type": "Borrower", "object": "OwnerBorrower", "direction": "outbound",
               "fields": {"borrowerId": "ref", "fullName": "name", "taxId": "tin"}
             }]}
            """;

    private static final String CONNECTORS = "{\"connectors\": [" + CRM + "," + OWNER + "]}";

    private EmbeddedLedger ledger;
    private ConnectorsHarness connectors;

    @BeforeEach
    void start() throws Exception {
        ledger = EmbeddedLedger.fresh();
        connectors = ConnectorsHarness.start(ledger, CONNECTORS);
    }

    @AfterEach
    void stop() throws Exception {
        if (connectors != null) {
            connectors.close();
        }
        ledger.close();
    }

    private static MemorySystem crm() {
        return MemorySystem.SYSTEMS.get("servicer-crm");
    }

    private static MemorySystem owner() {
        return MemorySystem.SYSTEMS.get("owner-borrowers");
    }

    private static SourceRecord contact(String externalId, String changeId, String id, String name, String ssn) {
        ObjectNode fields = Json.object().put("Id", id).put("Name", name).put("SSN", ssn).put("Email",
                name.toLowerCase().replace(' ', '.') + "@example.org");
        return new SourceRecord("Contact", externalId, ChangeKind.UPSERT, fields, false, changeId, null, null);
    }

    private RecordLink link(String externalId) throws Exception {
        return connectors.store().links("servicer-crm", "Contact", List.of(externalId)).get(externalId);
    }

    @Test
    void aPurgeClearsTheLinkSnapshotAndTheDeadLetterPayloadsOfThatRecordOnly() throws Exception {
        owner().refuse.put("B-1", "DUPLICATE_VALUE: tin already used");
        owner().refuse.put("B-2", "DUPLICATE_VALUE: tin already used");
        InboundReport report = crm().emit(connectors.template(), contact("c-1", "1", "B-1", "Ada Lovelace", TAX_ID),
                contact("c-2", "1", "B-2", "Bob Builder", "987-65-4321"));
        assertEquals(2, report.committed(), report.toString());
        assertTrue(link("c-1").systemState().contains(TAX_ID), "the snapshot holds the system's values");
        // A change the ledger refuses (not a tax id): an inbound letter holding the system's record.
        report = crm().emit(connectors.template(), contact("c-1", "2", "B-1", "Ada King", "123-45-678"));
        assertEquals(1, report.deadLettered().size(), report.toString());
        DeadLetterRow outbound = Await.until("the owner's refusal of B-1", Duration.ofSeconds(10),
                () -> connectors.openDeadLetters("owner-borrowers").stream().filter(l -> "B-1".equals(l.recordId()))
                        .findFirst().orElse(null), l -> l != null);
        assertTrue(outbound.payload().contains(TAX_ID), outbound.payload());
        crm().emit(connectors.template(), contact("c-2", "2", "B-2", "Bob Builder", "987-65-432"));
        Await.until("the owner's refusal of B-2", Duration.ofSeconds(10), () -> connectors.openDeadLetters(
                "owner-borrowers").stream().anyMatch(l -> "B-2".equals(l.recordId())));
        List<DeadLetterRow> inbound = connectors.openDeadLetters("servicer-crm");
        DeadLetterRow inboundB1 = inbound.stream().filter(l -> "c-1".equals(l.externalId())).findFirst().orElseThrow();
        assertTrue(inboundB1.payload().contains("Ada King"), inboundB1.payload());
        // Stopped, so that no connector writes again while the purge's effect is looked at.
        connectors.close();
        connectors = null;

        var purged = ledger.commit(EmbeddedLedger.user("servicer", "sonia"), new Operation(OperationKind.PURGE,
                "Borrower", "B-1", null, Json.parse("{\"fields\": [\"taxId\", \"fullName\"], \"reason\": \"erasure\"}")));
        assertEquals(TransactionStatus.COMMITTED, purged.status(), String.valueOf(purged.rejection()));

        ConnectorStore store = new ConnectorStore(ledger.dataSource(), java.time.Clock.systemUTC());
        assertNull(store.links("servicer-crm", "Contact", List.of("c-1")).get("c-1").systemState(),
                "nothing of the old values stays in the link");
        assertEquals("B-1", store.links("servicer-crm", "Contact", List.of("c-1")).get("c-1").recordId(),
                "the link itself stays");
        assertTrue(store.links("servicer-crm", "Contact", List.of("c-2")).get("c-2").systemState().contains("987-65-4321"),
                "another record's snapshot stays");
        for (String connector : List.of("servicer-crm", "owner-borrowers")) {
            for (DeadLetterRow letter : store.deadLetters(connector, DeadLetterRow.OPEN, 0, 100)) {
                boolean ofB1 = "B-1".equals(letter.recordId()) || "c-1".equals(letter.externalId());
                JsonNode payload = Json.parse(letter.payload());
                if (ofB1) {
                    assertFalse(letter.payload().contains(TAX_ID) || letter.payload().contains("123-45-678")
                            || letter.payload().contains("Ada"), "erased: " + letter.payload());
                    assertFalse(payload.has("fields"), letter.payload());
                    assertTrue(payload.path("erased").asBoolean(), letter.payload());
                    assertTrue(letter.reason().endsWith(" (" + ConnectorStore.PAYLOAD_ERASED + ")"), letter.reason());
                    assertEquals(letter.direction().equals("inbound") ? "Contact" : "OwnerBorrower",
                            payload.path("object").asText(), "what the letter was stays");
                } else {
                    assertTrue(payload.has("fields"), "another record's letter keeps its payload: " + letter.payload());
                    assertFalse(letter.reason().contains(ConnectorStore.PAYLOAD_ERASED), letter.reason());
                }
            }
        }
        assertEquals(2, ledger.count("SELECT count(*) FROM connector_dead_letter WHERE payload->>'erased' = 'true'"),
                "the inbound and the outbound letter of B-1, kept");
        assertEquals(0, ledger.count("SELECT count(*) FROM connector_record_link WHERE system_state::text LIKE '%"
                + TAX_ID + "%'"));

        // Started again: an erased inbound letter has nothing to replay; the system's next whole record is new.
        connectors = ConnectorsHarness.start(ledger, CONNECTORS);
        DeadLetterReplay.Outcome replay = connectors.runtime().replay("servicer-crm", inboundB1.id(), "servicer/sonia");
        assertFalse(replay.replayed());
        assertTrue(replay.reason().contains("erased by a purge"), replay.reason());
        report = crm().emit(connectors.template(), contact("c-1", "3", "B-1", "Ada Lovelace", "111-22-3333"));
        assertEquals(1, report.committed(), report.toString());
        JsonNode state = ledger.state("Borrower", "B-1");
        assertEquals("111-22-3333", state.path("taxId").asText(), "taken in whole, as new: " + state);
        assertEquals("Ada Lovelace", state.path("fullName").asText(), "every field, not only what differs: " + state);
        assertNotNull(link("c-1").systemState(), "the link knows the system's record again");
    }

    @Test
    void aSystemThatHoldsPurgedValuesGetsADeadLetterSayingErasureIsUpToTheParty() throws Exception {
        InboundReport report = crm().emit(connectors.template(), contact("c-3", "1", "B-3", "Cy Cipher", TAX_ID));
        assertEquals(1, report.committed(), report.toString());
        Await.until("B-3 written to the owner's system", Duration.ofSeconds(10),
                () -> owner().records.getOrDefault("OwnerBorrower", java.util.Map.of()).containsKey("B-3"));
        var purged = ledger.commit(EmbeddedLedger.user("servicer", "sonia"), new Operation(OperationKind.PURGE,
                "Borrower", "B-3", null, Json.parse("{\"fields\": [\"taxId\"], \"reason\": \"erasure\"}")));
        assertEquals(TransactionStatus.COMMITTED, purged.status(), String.valueOf(purged.rejection()));
        DeadLetterRow letter = Await.until("the owner's connector says it cannot erase", Duration.ofSeconds(10),
                () -> connectors.openDeadLetters("owner-borrowers").stream().filter(l -> "B-3".equals(l.recordId()))
                        .findFirst().orElse(null), l -> l != null);
        assertEquals("purged", letter.reasonCode());
        assertTrue(letter.reason().contains("does not erase values in OwnerBorrower"), letter.reason());
        assertFalse(letter.payload().contains(TAX_ID), letter.payload());
    }
}
