package org.meshledger.web.portal;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.query.Lineage;
import org.meshledger.ledger.query.RecordView;

/**
 * A record version as a page shows it: its fields as text, in the schema's words. Built only from a
 * {@link RecordView}, so it holds only what the reader's party may read.
 */
public final class RecordDisplay implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final String id;
    private final int version;
    private final String owner;
    private final long blockHeight;
    private final Instant recordedAt;
    private final Instant validFrom;
    private final boolean deleted;
    private final String hash;
    private final String operation;
    private final String principal;
    private final String source;
    private final Map<String, String> fields;
    // The raw values, for forms that start from the current value (amounts, dates).
    private final Map<String, String> plain;
    // The currency of each money field.
    private final Map<String, String> currencies;

    private RecordDisplay(RecordView view) {
        this.type = view.type();
        this.id = view.id();
        this.version = view.version();
        this.owner = view.owner();
        this.blockHeight = view.blockHeight();
        this.recordedAt = view.recordedAt();
        this.validFrom = view.validFrom();
        this.deleted = view.deleted();
        this.hash = view.hash();
        Lineage lineage = view.lineage();
        this.operation = lineage == null ? null : lineage.operation();
        this.principal = lineage == null ? null : lineage.party() + " / " + lineage.principalName();
        this.source = lineage == null || lineage.source() == null ? null
                : lineage.source().system() + " " + lineage.source().reference();
        this.fields = new LinkedHashMap<>();
        this.plain = new LinkedHashMap<>();
        this.currencies = new LinkedHashMap<>();
        if (view.state() != null) {
            for (Map.Entry<String, JsonNode> field : view.state().properties()) {
                fields.put(field.getKey(), FieldText.of(field.getValue()));
                plain.put(field.getKey(), FieldText.plain(field.getValue()));
                if (field.getValue().hasNonNull("currency")) {
                    currencies.put(field.getKey(), field.getValue().get("currency").asText());
                }
            }
        }
    }

    public static RecordDisplay of(RecordView view) {
        return new RecordDisplay(view);
    }

    public String getType() {
        return type;
    }

    public String getId() {
        return id;
    }

    public int getVersion() {
        return version;
    }

    public String getOwner() {
        return owner;
    }

    public long getBlockHeight() {
        return blockHeight;
    }

    public Instant getRecordedAt() {
        return recordedAt;
    }

    public String getRecorded() {
        return FieldText.time(recordedAt);
    }

    public String getValidFrom() {
        return FieldText.time(validFrom);
    }

    public boolean isDeleted() {
        return deleted;
    }

    public String getHash() {
        return hash;
    }

    public String getOperation() {
        return operation;
    }

    public String getPrincipal() {
        return principal;
    }

    /** The source system's record it came from (a CRM, a file), or null. */
    public String getSource() {
        return source;
    }

    /** Field name to display text, only the fields the reader may read. */
    public Map<String, String> getFields() {
        return fields;
    }

    /** Field name to its plain value (an amount without currency), for forms. */
    public Map<String, String> getPlain() {
        return plain;
    }

    /** The field's display text, or an em dash when it is absent or not shared with the reader. */
    public String text(String field) {
        return fields.getOrDefault(field, "—");
    }

    public String value(String field) {
        return plain.get(field);
    }

    /** The currency of a money field, or null. */
    public String currency(String field) {
        return currencies.get(field);
    }
}
