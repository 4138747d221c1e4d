package org.meshledger.connect.runtime;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.SourceRecord;

/** A system record as JSON, as the dead-letter store keeps it for a replay. */
final class SourceRecords {

    private SourceRecords() {
    }

    static ObjectNode toJson(SourceRecord record) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("object", record.object());
        json.put("externalId", record.externalId());
        json.put("kind", record.kind().name().toLowerCase(java.util.Locale.ROOT));
        json.set("fields", record.fields());
        json.put("partial", record.partial());
        json.put("changeId", record.changeId());
        if (record.sequence() != null) {
            json.put("sequence", record.sequence());
        }
        if (record.changedAt() != null) {
            json.put("changedAt", record.changedAt().toString());
        }
        return json;
    }

    static SourceRecord fromJson(JsonNode json) {
        return new SourceRecord(json.path("object").asText(), json.hasNonNull("externalId")
                ? json.path("externalId").asText() : null,
                ChangeKind.valueOf(json.path("kind").asText("upsert").toUpperCase(java.util.Locale.ROOT)),
                json.path("fields") instanceof ObjectNode fields ? fields : JsonNodeFactory.instance.objectNode(),
                json.path("partial").asBoolean(false), json.path("changeId").asText(),
                json.hasNonNull("sequence") ? json.path("sequence").asLong() : null,
                json.hasNonNull("changedAt") ? Instant.parse(json.path("changedAt").asText()) : null);
    }
}
