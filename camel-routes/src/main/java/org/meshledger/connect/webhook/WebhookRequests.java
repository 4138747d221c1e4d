package org.meshledger.connect.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.SourceRecord;

/**
 * A webhook request's records as system changes. Each record's change id is the request's
 * {@code Idempotency-Key} and its position, so a request sent again with its key commits nothing
 * twice; without a key, each request is a change of its own (never taken for an earlier identical
 * one: A, B, A ends at A), and a record the ledger already holds writes nothing.
 */
public final class WebhookRequests {

    public static final int MAX_RECORDS = 1000;

    private WebhookRequests() {
    }

    /**
     * @param keyField the system field that holds the ledger key (the record's external id)
     * @throws IllegalArgumentException naming what is wrong with the request
     */
    public static InboundBatch parse(String object, JsonNode records, String keyField, String idempotencyKey) {
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw new IllegalArgumentException("records must be a non-empty list of objects");
        }
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("a request holds at most " + MAX_RECORDS + " records");
        }
        List<SourceRecord> batch = new ArrayList<>();
        UUID request = UUID.randomUUID();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (!(record instanceof ObjectNode fields)) {
                throw new IllegalArgumentException("records[" + i + "] must be an object");
            }
            JsonNode key = fields.get(keyField);
            String changeId = (idempotencyKey != null ? idempotencyKey : "request:" + request) + "/" + i;
            batch.add(new SourceRecord(object, key == null || key.isNull() ? null : key.asText(), ChangeKind.UPSERT,
                    fields, false, changeId, null, null));
        }
        return new InboundBatch(batch);
    }
}
