package org.meshledger.connect.runtime;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.apache.camel.ProducerTemplate;
import org.meshledger.connect.mapping.MappingException;
import org.meshledger.connect.mapping.RecordMapping;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.WriteResult;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.connector.DeadLetterRow;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;

/**
 * Moves a dead letter again, through the connector's current mappings: an inbound letter's system
 * record is submitted once more (under a fresh idempotency key, since its first one may have been
 * answered with a rejection); an outbound letter's ledger record is written to the system in its
 * current state, as the party reads it now. A letter that moves is closed as replayed; one that
 * fails again stays open with the new reason and one more attempt. An inbound letter whose payload a
 * purge erased ({@code ConnectorStore.forgetRecord}) is not replayed: it holds nothing to submit.
 */
public final class DeadLetterReplay {

    /** What a replay did: whether the letter moved, and the reason if it did not. */
    public record Outcome(long id, boolean replayed, String reason) {
    }

    private final LedgerCore ledger;
    private final ConnectorStore store;
    private final ProducerTemplate template;

    DeadLetterReplay(LedgerCore ledger, ConnectorStore store, ProducerTemplate template) {
        this.ledger = ledger;
        this.store = store;
        this.template = template;
    }

    Outcome replay(ConnectorInstance connector, long id, String by) throws SQLException {
        String connectorId = connector.definition().id();
        DeadLetterRow letter = store.deadLetter(connectorId, id).orElseThrow(() -> new IllegalArgumentException(
                "connector " + connectorId + " has no dead letter " + id));
        if (!DeadLetterRow.OPEN.equals(letter.status())) {
            throw new IllegalArgumentException("dead letter " + id + " is " + letter.status() + ", not open");
        }
        Optional<String> failure = DeadLetters.INBOUND.equals(letter.direction()) ? inbound(connector, letter)
                : outbound(connector, letter);
        if (failure.isPresent()) {
            return new Outcome(id, false, failure.get());
        }
        store.resolve(connectorId, id, DeadLetterRow.REPLAYED, by);
        return new Outcome(id, true, null);
    }

    private Optional<String> inbound(ConnectorInstance connector, DeadLetterRow letter) {
        JsonNode payload = Json.parse(letter.payload());
        if (payload.path("erased").asBoolean(false)) {
            // A purge of its ledger record took the system's fields: nothing is left to submit.
            return Optional.of("its payload was erased by a purge: the system sends the record again, or discard it");
        }
        var record = SourceRecords.fromJson(payload);
        InboundReport report = template.requestBodyAndHeader(connector.inboundEndpoint(), InboundBatch.of(record),
                InboundProcessor.REPLAY, letter.attempts(), InboundReport.class);
        return report.deadLettered().isEmpty() ? Optional.empty()
                : Optional.of(report.deadLettered().get(0).reason());
    }

    private Optional<String> outbound(ConnectorInstance connector, DeadLetterRow letter) throws SQLException {
        JsonNode payload = Json.parse(letter.payload());
        String object = payload.path("object").asText();
        RecordMapping mapping = connector.mapping(letter.recordType(), object).filter(RecordMapping::outbound)
                .orElseThrow(() -> new IllegalArgumentException("connector " + connector.definition().id()
                        + " no longer maps " + letter.recordType() + " to " + object));
        RecordKey key = new RecordKey(letter.recordType(), letter.recordId());
        RecordVersionRow current = ledger.store().current(List.of(key)).get(key);
        RecordType type = ledger.network().schema().type(letter.recordType()).orElseThrow();
        JsonNode state = null;
        if (current != null && !current.deleted()) {
            RecordAccess access = RecordAccess.stored(current.access());
            if (ledger.policy().visibility(connector.principal().party(), type, access)
                    == AccessPolicy.Visibility.VISIBLE) {
                state = ledger.policy().readableView(connector.principal().party(), type, Json.parse(current.state()),
                        access);
            }
        }
        String keyField = mapping.key().systemField();
        OutboundRecord record;
        if (state == null) {
            if (mapping.onDelete() != RecordMapping.OnDelete.DELETE) {
                return Optional.empty(); // gone from what the party reads: nothing is left to write
            }
            record = new OutboundRecord(object, keyField, letter.recordId(), letter.externalId(), ChangeKind.DELETE,
                    JsonNodeFactory.instance.objectNode().put(keyField, letter.recordId()), letter.recordType(),
                    current == null ? 0 : current.version(), current == null ? 0 : current.blockHeight());
        } else {
            String describe = letter.recordType() + " " + letter.recordId() + " v" + current.version();
            try {
                record = new OutboundRecord(object, keyField, letter.recordId(), letter.externalId(), ChangeKind.UPSERT,
                        mapping.toSystem(state, describe), letter.recordType(), current.version(), current.blockHeight());
            } catch (MappingException e) {
                connector.deadLetters().outboundUnmapped(letter.recordType(), letter.recordId(), current.version(),
                        current.blockHeight(), object, "mapping", e.getMessage());
                return Optional.of(e.getMessage());
            }
        }
        OutboundReport report;
        try {
            // Straight to the connector's writer: an operator gets the system's answer at once, not after the retries.
            report = template.requestBody(connector.writerEndpoint(), new OutboundBatch(List.of(record)),
                    OutboundReport.class);
        } catch (RuntimeException e) {
            String reason = record.describe() + ": " + InboundProcessor.describe(e);
            connector.deadLetters().outbound(record, "unavailable", reason);
            return Optional.of(reason);
        }
        WriteResult result = report.results().get(0);
        if (!result.ok()) {
            String reason = record.describe() + ": " + result.error();
            connector.deadLetters().outbound(record, result.errorCode() == null ? "refused" : result.errorCode(), reason);
            return Optional.of(reason);
        }
        if (result.externalId() != null) {
            store.saveLinks(List.of(new org.meshledger.persistence.connector.RecordLink(connector.definition().id(),
                    object, result.externalId(), letter.recordType(), letter.recordId(), null,
                    record.kind() == ChangeKind.DELETE ? null : Json.write(record.fields()))));
        }
        connector.status().outbound(1, connector.status().snapshot().outboundHeight());
        return Optional.empty();
    }
}
