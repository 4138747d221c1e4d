package org.meshledger.connect.runtime;

import java.sql.SQLException;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.ledger.json.Json;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.connector.DeadLetterWrite;

/** Puts one connector's records that cannot move into the dead-letter store, with their reasons. */
final class DeadLetters {

    static final String INBOUND = "inbound";
    static final String OUTBOUND = "outbound";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class.getName());

    private final String connectorId;
    private final ConnectorStore store;
    private final StatusTracker status;

    DeadLetters(String connectorId, ConnectorStore store, StatusTracker status) {
        this.connectorId = connectorId;
        this.store = store;
        this.status = status;
    }

    /** A system record that could not be committed; {@code dedupeKey} is its change's idempotency key. */
    void inbound(SourceRecord record, String type, String id, String dedupeKey, String code, String reason) {
        write(new DeadLetterWrite(connectorId, INBOUND, dedupeKey, record.object(), record.externalId(), type, id,
                Json.write(SourceRecords.toJson(record)), code, reason), reason);
    }

    /** A ledger change that could not be written to the system. */
    void outbound(OutboundRecord record, String code, String reason) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("recordType", record.recordType());
        payload.put("recordId", record.key());
        payload.put("recordVersion", record.recordVersion());
        payload.put("blockHeight", record.blockHeight());
        payload.put("object", record.object());
        payload.put("kind", record.kind().name().toLowerCase(java.util.Locale.ROOT));
        payload.set("fields", record.fields());
        write(new DeadLetterWrite(connectorId, OUTBOUND, record.recordType() + "/" + record.key() + "/"
                + record.object(), record.object(), record.externalId(), record.recordType(), record.key(),
                Json.write(payload), code, reason), reason);
    }

    /** A ledger record whose change could not be mapped (nothing was sent). */
    void outboundUnmapped(String type, String id, int version, long height, String object, String code,
            String reason) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("recordType", type);
        payload.put("recordId", id);
        payload.put("recordVersion", version);
        payload.put("blockHeight", height);
        payload.put("object", object);
        write(new DeadLetterWrite(connectorId, OUTBOUND, type + "/" + id + "/" + object, object, null, type, id,
                Json.write(payload), code, reason), reason);
    }

    private void write(DeadLetterWrite letter, String reason) {
        try {
            long id = store.deadLetter(letter);
            status.error(reason, false);
            LOG.info(() -> "Connector " + connectorId + ": " + letter.direction() + " " + describe(letter)
                    + " to the dead-letter store (#" + id + ", " + letter.reasonCode() + "): " + reason);
        } catch (SQLException e) {
            throw new IllegalStateException("Connector " + connectorId + ": cannot write a dead letter: "
                    + e.getMessage(), e);
        }
    }

    private static String describe(DeadLetterWrite letter) {
        return letter.recordType() != null && letter.recordId() != null ? letter.recordType() + "/" + letter.recordId()
                : letter.object() + " " + letter.externalId();
    }
}
