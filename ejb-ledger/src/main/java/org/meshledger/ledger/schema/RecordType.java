package org.meshledger.ledger.schema;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

import org.meshledger.ledger.access.AccessRule;
import org.meshledger.ledger.identity.PartyId;

/**
 * A type of shared record (Loan, Payment, ...): a JSON Schema with MeshLedger's extensions.
 *
 * @param keyField the field whose value identifies a record ({@code x-key})
 * @param indexes the fields lists may filter and sort on ({@code x-indexes})
 * @param access the type's {@code x-access} (read and write always set)
 * @param fields the rules of its top-level fields, by name
 * @param rows the {@code x-access.rows} rules, by party
 * @param limits what a state must stay within to be stored ({@link StorableValues}); the validator
 *        enforces the text lengths
 */
public record RecordType(String name, String title, String keyField, List<String> indexes, AccessRule access,
        Map<String, FieldRule> fields, JsonNode jsonSchema, Schema validator, Map<PartyId, RowRule> rows,
        InputLimits limits) {

    public RecordType {
        rows = Map.copyOf(rows);
    }

    /** The rule that limits which records of this type a party reads, or null if it reads them all. */
    public RowRule rows(PartyId party) {
        return rows.get(party);
    }

    public RecordType withRows(Map<PartyId, RowRule> rowRules) {
        return new RecordType(name, title, keyField, indexes, access, fields, jsonSchema, validator, rowRules, limits);
    }

    /** The record types this one is derived from ({@code x-derivedFrom}): its data products' lineage. */
    public List<String> derivedFrom() {
        List<String> sources = new java.util.ArrayList<>();
        jsonSchema.path("x-derivedFrom").forEach(source -> sources.add(source.asText()));
        return sources;
    }

    /** The record types its fields refer to ({@code x-references}). */
    public java.util.Set<String> references() {
        java.util.Set<String> types = new java.util.TreeSet<>();
        fields.values().forEach(f -> {
            if (f.references() != null) {
                types.add(f.references());
            }
        });
        return types;
    }

    /** The description of the type in its schema. */
    public String description() {
        return jsonSchema.path("description").asText("");
    }

    public FieldRule field(String field) {
        return fields.get(field);
    }

    /**
     * Whether a top-level field is classified {@code pii} or {@code confidential}: such a field never
     * travels by value on the event topics (a reference stands for it there), and only such a field
     * may be purged.
     */
    public boolean isClassified(String field) {
        FieldRule rule = fields.get(field);
        return rule != null && (rule.classification() == Classification.PII
                || rule.classification() == Classification.CONFIDENTIAL);
    }

    /** Whether the type's JSON Schema declares this top-level field. */
    public boolean hasField(String field) {
        return jsonSchema.path("properties").has(field);
    }

    public boolean isIndexed(String field) {
        return indexes.contains(field);
    }

    /** Whether a top-level field holds a JSON number (so lists compare it as a number). */
    public boolean isNumeric(String field) {
        String type = jsonSchema.path("properties").path(field).path("type").asText("");
        return type.equals("integer") || type.equals("number");
    }

    /** Whether a top-level field holds a JSON boolean. */
    public boolean isBoolean(String field) {
        return jsonSchema.path("properties").path(field).path("type").asText("").equals("boolean");
    }

    /**
     * Checks a record's state: that the ledger can store it ({@link StorableValues}), then against
     * the type's JSON Schema (formats asserted, every text bounded).
     */
    public List<SchemaViolation> validate(JsonNode state) {
        List<SchemaViolation> unstorable = StorableValues.check(state, limits);
        if (!unstorable.isEmpty()) {
            return unstorable;
        }
        List<Error> errors = validator.validate(state);
        return errors.stream().map(RecordType::violation).toList();
    }

    private static SchemaViolation violation(Error error) {
        String location = error.getInstanceLocation().toString();
        // "required" and "additionalProperties" are reported on the object; the field is the property.
        String field = error.getProperty() != null ? location + "/" + error.getProperty() : location;
        return new SchemaViolation(field, error.getKeyword(), error.getMessage());
    }
}
