package org.meshledger.connect.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.connect.testkit.Await;
import org.meshledger.connect.testkit.ConnectorsHarness;
import org.meshledger.connect.testkit.EmbeddedLedger;
import org.meshledger.connect.testkit.MemorySystem;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.connector.DeadLetterRow;
import org.meshledger.persistence.health.ConnectorStatusBoard;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The connector core against a real ledger on PostgreSQL: a servicer's system and a loan owner's
 * system (in-memory connectors) kept in sync through the mappings, with the failures a real system
 * brings (away, refusing records, bad data) and a restart.
 */
class ConnectorRuntimeTest {

    /** The servicer's system: its payments both ways, in its own names, codes, date format and cents. */
    static final String SERVICER = """
            {"id": "servicer-memory", "kind": "memory", "party": "servicer", "system": "memsys",
             "retry": {"maxAttempts": 3, "firstDelayMs": 20, "maxDelayMs": 50},
             "mappings": [{
               "type": "Payment", "object": "Pmt", "unknownFields": "reject", "metadataFields": ["Modstamp"],
               "fields": {
                 "paymentId": "Id",
                 "loanNumber": "LoanNo",
                 "dueDate": {"system": "Due", "format": "MM/dd/yyyy"},
                 "scheduledAmount": {"system": "AmountCents", "factor": 100, "currency": "USD"},
                 "status": {"system": "Status", "values": {"S": "scheduled", "R": "received", "M": "missed",
                                                           "P": "partial", "X": "reversed"}}
               },
               "defaults": {"status": "scheduled"}
             }]}
            """;

    /** The loan owner's system: payments it reads, written out in its names. */
    static final String OWNER = """
            {"id": "owner-memory", "kind": "memory", "party": "loan-owner",
             "retry": {"maxAttempts": 3, "firstDelayMs": 20, "maxDelayMs": 50},
             "mappings": [{
               "type": "Payment", "object": "OwnerPayment", "direction": "outbound",
               "fields": {"paymentId": "payment_ref", "loanNumber": "loan", "status": "state",
                          "scheduledAmount": {"system": "amount", "currencyField": "currency"}}
             }]}
            """;

    private EmbeddedLedger ledger;
    private ConnectorsHarness connectors;

    @BeforeEach
    void start() throws Exception {
        ledger = EmbeddedLedger.fresh();
        connectors = ConnectorsHarness.start(ledger, "{\"connectors\": [" + SERVICER + "," + OWNER + "]}");
    }

    @AfterEach
    void stop() throws Exception {
        connectors.close();
        ledger.close();
    }

    private MemorySystem servicer() {
        return MemorySystem.SYSTEMS.get("servicer-memory");
    }

    private MemorySystem owner() {
        return MemorySystem.SYSTEMS.get("owner-memory");
    }

    static SourceRecord payment(String externalId, String changeId, String id, String due, String cents, String status) {
        ObjectNode fields = Json.object().put("Id", id).put("LoanNo", "L-1").put("Due", due).put("AmountCents", cents)
                .put("Status", status);
        return new SourceRecord("Pmt", externalId, ChangeKind.UPSERT, fields, false, changeId, null, null);
    }

    @Test
    void inboundChangesAreCommittedAsTheConnectorsSystemWithLineage() throws Exception {
        InboundReport report = servicer().emit(connectors.template(),
                payment("ext-1", "c1", "PAY-1", "11/01/2026", "150000", "S"));
        assertEquals(1, report.committed(), report.toString());

        JsonNode state = ledger.state("Payment", "PAY-1");
        assertEquals("2026-11-01", state.path("dueDate").asText());
        assertEquals("1500.00", state.path("scheduledAmount").path("amount").asText());
        assertEquals("USD", state.path("scheduledAmount").path("currency").asText());
        assertEquals("scheduled", state.path("status").asText());
        TransactionRow tx = ledger.core().store().transaction(ledger.current("Payment", "PAY-1").txId()).orElseThrow();
        assertEquals("servicer", tx.party());
        assertEquals("system", tx.principalKind());
        assertEquals("servicer-memory", tx.principalName());
        assertEquals("memsys", tx.sourceSystem());
        assertEquals("Pmt/ext-1", tx.sourceReference());

        // A change that carries only what changed (no key): found through the link of the first one.
        ObjectNode missed = Json.object().put("Status", "M");
        report = servicer().emit(connectors.template(), new SourceRecord("Pmt", "ext-1", ChangeKind.UPSERT, missed, true,
                "c2", null, null));
        assertEquals(1, report.committed(), report.toString());
        RecordVersionRow v2 = ledger.current("Payment", "PAY-1");
        assertEquals(2, v2.version());
        assertEquals("missed", Json.parse(v2.state()).path("status").asText());
        assertEquals("1500.00", Json.parse(v2.state()).path("scheduledAmount").path("amount").asText());
    }

    @Test
    void aChangeDeliveredAgainIsCommittedOnce() throws Exception {
        SourceRecord change = payment("ext-2", "c1", "PAY-2", "11/01/2026", "100000", "S");
        servicer().emit(connectors.template(), change);
        servicer().emit(connectors.template(), change);
        // The same change id again, after the record moved on: a repeat, not a step back.
        servicer().emit(connectors.template(), payment("ext-2", "c2", "PAY-2", "11/01/2026", "100000", "R"));
        InboundReport again = servicer().emit(connectors.template(), change);
        assertTrue(again.deadLettered().isEmpty(), again.toString());
        assertEquals(2, ledger.current("Payment", "PAY-2").version());
        assertEquals("received", ledger.state("Payment", "PAY-2").path("status").asText());
        assertEquals(2, ledger.count("SELECT count(*) FROM ledger_transaction WHERE principal_name = 'servicer-memory'"));

        // Equal values from the system write nothing (an echo of the node's own write settles quietly).
        InboundReport same = servicer().emit(connectors.template(), payment("ext-2", "c3", "PAY-2", "11/01/2026",
                "100000.00", "R"));
        assertEquals(1, same.unchanged(), same.toString());
        assertEquals(2, ledger.current("Payment", "PAY-2").version());
    }

    @Test
    void aWholeRecordFromTheSystemChangesOnlyWhatTheSystemChanged() throws Exception {
        servicer().emit(connectors.template(), payment("ext-60", "c1", "PAY-60", "11/01/2026", "10000", "S"));
        servicer().failNextWrites.set(1000); // the portal's change below does not reach the system
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-60",
                null, Json.object().put("status", "received")));
        // The system sends the whole record again: its user changed the amount; its status is the old one.
        InboundReport report = servicer().emit(connectors.template(), payment("ext-60", "c2", "PAY-60", "11/01/2026",
                "20000", "S"));
        assertEquals(1, report.committed(), report.toString());
        JsonNode state = ledger.state("Payment", "PAY-60");
        assertEquals("200.00", state.path("scheduledAmount").path("amount").asText());
        assertEquals("received", state.path("status").asText(), "the ledger's newer status is not taken back");
    }

    @Test
    void staleChangesAreSkipped() throws Exception {
        SourceRecord newer = new SourceRecord("Pmt", "ext-3", ChangeKind.UPSERT, payment("ext-3", "x", "PAY-3",
                "11/01/2026", "100", "R").fields(), false, "r20", 20L, null);
        SourceRecord older = new SourceRecord("Pmt", "ext-3", ChangeKind.UPSERT, payment("ext-3", "x", "PAY-3",
                "11/01/2026", "100", "M").fields(), false, "r10", 10L, null);
        servicer().emit(connectors.template(), newer);
        InboundReport report = servicer().emit(connectors.template(), older);
        assertEquals(1, report.unchanged(), report.toString());
        assertEquals("received", ledger.state("Payment", "PAY-3").path("status").asText());
    }

    @Test
    void recordsThatCannotBeMappedOrCommittedGoToTheDeadLetterStoreWithTheirReason() throws Exception {
        ObjectNode unknown = payment("ext-5", "c", "PAY-5", "11/01/2026", "100", "S").fields().put("Colour", "red");
        ObjectNode noLoan = Json.object().put("Id", "PAY-6").put("Due", "11/01/2026").put("AmountCents", "100");
        InboundReport report = servicer().emit(connectors.template(),
                payment("ext-4", "c", "PAY-4", "13/45/2026", "100", "S"),
                new SourceRecord("Pmt", "ext-5", ChangeKind.UPSERT, unknown, false, "c", null, null),
                payment("ext-7", "c", "PAY-7", "11/01/2026", "100", "Q"),
                new SourceRecord("Pmt", "ext-6", ChangeKind.UPSERT, noLoan, false, "c", null, null),
                payment("ext-8", "c", "PAY-8", "11/01/2026", "100", "S"));
        assertEquals(1, report.committed(), report.toString());
        assertEquals(4, report.deadLettered().size(), report.toString());
        assertNotNull(ledger.state("Payment", "PAY-8"), "the good record of the batch is committed");
        assertNull(ledger.state("Payment", "PAY-4"));

        Map<String, DeadLetterRow> letters = new java.util.HashMap<>();
        connectors.openDeadLetters("servicer-memory").forEach(l -> letters.put(l.externalId(), l));
        assertEquals("mapping", letters.get("ext-4").reasonCode());
        assertEquals("Pmt ext-4 field Due: '13/45/2026' is not a date in the format MM/dd/yyyy",
                letters.get("ext-4").reason());
        assertTrue(letters.get("ext-5").reason().contains("field Colour: is not in the mapping"),
                letters.get("ext-5").reason());
        assertTrue(letters.get("ext-7").reason().contains("field Status: 'Q' has no ledger value"),
                letters.get("ext-7").reason());
        assertEquals("invalid-transaction", letters.get("ext-6").reasonCode()); // checked at submit, before ordering
        assertTrue(letters.get("ext-6").reason().contains("loanNumber"), letters.get("ext-6").reason());
        assertEquals("inbound", letters.get("ext-6").direction());
        assertEquals("Pmt", Json.parse(letters.get("ext-6").payload()).path("object").asText());

        // The same bad record arriving again counts another attempt on the same letter.
        servicer().emit(connectors.template(), payment("ext-4", "c", "PAY-4", "13/45/2026", "100", "S"));
        List<DeadLetterRow> again = connectors.openDeadLetters("servicer-memory").stream()
                .filter(l -> "ext-4".equals(l.externalId())).toList();
        assertEquals(1, again.size());
        assertEquals(2, again.get(0).attempts());
    }

    @Test
    void committedChangesReachTheOtherPartysSystemInItsNamesButNeverEchoBack() throws Exception {
        servicer().emit(connectors.template(), payment("ext-10", "c1", "PAY-10", "11/01/2026", "123456", "M"));
        ObjectNode written = Await.until("the owner's system to have PAY-10", Duration.ofSeconds(10),
                () -> owner().records.getOrDefault("OwnerPayment", Map.of()).get("PAY-10"), r -> r != null);
        assertEquals("PAY-10", written.path("payment_ref").asText());
        assertEquals("L-1", written.path("loan").asText());
        assertEquals("missed", written.path("state").asText());
        assertEquals(0, new java.math.BigDecimal("1234.56").compareTo(written.path("amount").decimalValue()));
        assertEquals("USD", written.path("currency").asText());

        // A change by a servicer's user goes to the servicer's system, in its codes and units.
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-10",
                null, Json.object().put("status", "received")));
        ObjectNode mine = Await.until("the servicer's system to have the portal's change", Duration.ofSeconds(10),
                () -> servicer().records.getOrDefault("Pmt", Map.of()).get("PAY-10"), r -> r != null);
        assertEquals("R", mine.path("Status").asText());
        // Only what the system does not have yet: it sent the due date and amount itself.
        assertEquals(Json.parse("{\"Id\": \"PAY-10\", \"Status\": \"R\"}"), servicer().written.get(0).fields());
        assertEquals("ext-10", servicer().written.get(0).externalId(), "the system's own id, from the link");
        // ... but never its own inbound change back.
        assertTrue(servicer().written.stream().noneMatch(r -> r.recordVersion() == 1), servicer().written.toString());
        assertEquals(1, servicer().written.size(), servicer().written.toString());
    }

    @Test
    void aSystemThatIsAwayIsRetriedAndWhatStaysRefusedIsDeadLetteredAndReplayed() throws Exception {
        owner().failNextWrites.set(2); // away for two requests: the retries get through
        servicer().emit(connectors.template(), payment("ext-20", "c1", "PAY-20", "11/01/2026", "100", "S"));
        Await.until("PAY-20 written after the retries", Duration.ofSeconds(10),
                () -> owner().records.getOrDefault("OwnerPayment", Map.of()).containsKey("PAY-20"));
        assertTrue(ConnectorStatusBoard.get("owner-memory").orElseThrow().errors() >= 2);

        owner().failNextWrites.set(100); // away for longer than the retries
        servicer().emit(connectors.template(), payment("ext-21", "c1", "PAY-21", "11/01/2026", "100", "S"));
        DeadLetterRow letter = Await.until("PAY-21 dead-lettered", Duration.ofSeconds(10),
                () -> connectors.openDeadLetters("owner-memory"), l -> !l.isEmpty()).get(0);
        assertEquals("outbound", letter.direction());
        assertEquals("unavailable", letter.reasonCode());
        assertEquals("PAY-21", letter.recordId());
        assertTrue(letter.reason().contains("503 Service Unavailable"), letter.reason());

        // A record the system refuses goes there at once, with the system's reason.
        owner().failNextWrites.set(0);
        owner().refuse.put("PAY-22", "DUPLICATE_VALUE: payment_ref already used");
        servicer().emit(connectors.template(), payment("ext-22", "c1", "PAY-22", "11/01/2026", "100", "S"));
        DeadLetterRow refused = Await.until("PAY-22 dead-lettered", Duration.ofSeconds(10),
                () -> connectors.openDeadLetters("owner-memory").stream().filter(l -> "PAY-22".equals(l.recordId()))
                        .findFirst().orElse(null), l -> l != null);
        assertEquals("REFUSED", refused.reasonCode());
        assertTrue(refused.reason().contains("DUPLICATE_VALUE"), refused.reason());

        // Replayed once the system takes them: written in the record's current state, letters closed.
        owner().refuse.clear();
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-21",
                null, Json.object().put("status", "missed")));
        List<DeadLetterReplay.Outcome> outcomes = connectors.runtime().replayAll("owner-memory", "loan-owner/olivia", 100);
        assertEquals(2, outcomes.size());
        assertTrue(outcomes.stream().allMatch(DeadLetterReplay.Outcome::replayed), outcomes.toString());
        assertEquals("missed", owner().records.get("OwnerPayment").get("PAY-21").path("state").asText());
        assertTrue(owner().records.get("OwnerPayment").containsKey("PAY-22"));
        assertTrue(connectors.openDeadLetters("owner-memory").isEmpty());
        DeadLetterRow closed = connectors.store().deadLetter("owner-memory", letter.id()).orElseThrow();
        assertEquals(DeadLetterRow.REPLAYED, closed.status());
        assertEquals("loan-owner/olivia", closed.resolvedBy());
    }

    @Test
    void aPartialChangeOfAnUnknownRecordIsCompletedFromTheSystem() throws Exception {
        ObjectNode whole = payment("ext-30", "x", "PAY-30", "12/01/2026", "99900", "S").fields();
        servicer().whole.put("Pmt/ext-30", whole);
        InboundReport report = servicer().emit(connectors.template(), new SourceRecord("Pmt", "ext-30", ChangeKind.UPSERT,
                Json.object().put("Status", "P"), true, "c1", null, null));
        assertEquals(1, report.committed(), report.toString());
        JsonNode state = ledger.state("Payment", "PAY-30");
        assertEquals("2026-12-01", state.path("dueDate").asText());

        // Not linked and not in the system: the letter says so.
        report = servicer().emit(connectors.template(), new SourceRecord("Pmt", "ext-31", ChangeKind.UPSERT,
                Json.object().put("Status", "P"), true, "c1", null, null));
        assertEquals("unknown-record", report.deadLettered().get(0).code());
    }

    @Test
    void aRestartedNodeResumesWhereItStoppedAndWritesEachRecordOnceInItsLatestState() throws Exception {
        servicer().emit(connectors.template(), payment("ext-40", "c1", "PAY-40", "11/01/2026", "100", "S"));
        Await.until("PAY-40 written", Duration.ofSeconds(10),
                () -> owner().records.getOrDefault("OwnerPayment", Map.of()).containsKey("PAY-40"));
        connectors.close();

        // While the connectors are down, the servicer's users change PAY-40 three times and add PAY-41.
        var sam = EmbeddedLedger.user("servicer", "sam");
        for (String status : List.of("missed", "partial", "received")) {
            ledger.commit(sam, new Operation(OperationKind.UPDATE, "Payment", "PAY-40", null,
                    Json.object().put("status", status)));
        }
        ledger.commit(sam, new Operation(OperationKind.CREATE, "Payment", "PAY-41", 0, Json.parse("""
                {"paymentId": "PAY-41", "loanNumber": "L-1", "dueDate": "2026-12-01",
                 "scheduledAmount": {"amount": "10.00", "currency": "USD"}, "status": "scheduled"}""")));

        connectors = ConnectorsHarness.start(ledger, "{\"connectors\": [" + SERVICER + "," + OWNER + "]}");
        Await.until("PAY-41 written after the restart", Duration.ofSeconds(10),
                () -> owner().records.getOrDefault("OwnerPayment", Map.of()).containsKey("PAY-41"));
        List<OutboundRecord> afterRestart = owner().written;
        assertEquals(2, afterRestart.size(), "PAY-40 once (latest), PAY-41 once; nothing from before: " + afterRestart);
        OutboundRecord pay40 = afterRestart.stream().filter(r -> r.key().equals("PAY-40")).findFirst().orElseThrow();
        assertEquals(4, pay40.recordVersion());
        assertEquals("received", pay40.fields().path("state").asText());
    }

    @Test
    void statusShowsWhatEachConnectorDid() throws Exception {
        servicer().emit(connectors.template(), payment("ext-50", "c1", "PAY-50", "11/01/2026", "100", "S"));
        Await.until("the owner's connector to have written", Duration.ofSeconds(10),
                () -> ConnectorStatusBoard.get("owner-memory").orElseThrow().outboundRecords() >= 1);
        ConnectorStatusBoard.Snapshot servicerStatus = ConnectorStatusBoard.get("servicer-memory").orElseThrow();
        assertEquals(ConnectorStatusBoard.State.RUNNING, servicerStatus.state());
        assertEquals(1, servicerStatus.inboundRecords());
        assertNotNull(servicerStatus.lastInboundAt());
        assertFalse(servicerStatus.lastInboundAt().isAfter(Instant.now()));
        ConnectorStatusBoard.Snapshot ownerStatus = ConnectorStatusBoard.get("owner-memory").orElseThrow();
        assertTrue(ownerStatus.writes());
        assertFalse(ownerStatus.reads());
        assertEquals(ledger.core().chain().height(), Await.until("the owner's connector to catch up",
                Duration.ofSeconds(10), () -> ConnectorStatusBoard.get("owner-memory").orElseThrow().outboundHeight(),
                h -> h == ledger.core().chain().height()));
    }
}
