package org.meshledger.connect.mapping;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.connect.spi.ConnectorSettings;
import org.meshledger.connect.spi.ObjectMapping;
import org.meshledger.connect.spi.SourceRecord;

/**
 * How one ledger type and one system object map onto each other, field by field, in the directions
 * the configuration allows: the system's changes become ledger values (new records with their
 * defaults, or patches of what changed), and the ledger's states become the system's fields.
 */
public final class RecordMapping {

    /** What to do with a system field the mapping does not name. */
    public enum UnknownFields { IGNORE, REJECT }

    /** What a deletion in the system does to the ledger record. */
    public enum OnDelete { IGNORE, DELETE }

    private final String type;
    private final String object;
    private final boolean inbound;
    private final boolean outbound;
    private final FieldMapping key;
    private final List<FieldMapping> fields;
    private final ObjectNode defaults;
    private final UnknownFields unknownFields;
    private final Set<String> knownSystemFields;
    private final OnDelete onDelete;
    private final ConnectorSettings settings;

    RecordMapping(String type, String object, boolean inbound, boolean outbound, FieldMapping key,
            List<FieldMapping> fields, ObjectNode defaults, UnknownFields unknownFields, Set<String> metadataFields,
            OnDelete onDelete, ConnectorSettings settings) {
        this.type = type;
        this.object = object;
        this.inbound = inbound;
        this.outbound = outbound;
        this.key = key;
        this.fields = List.copyOf(fields);
        this.defaults = defaults;
        this.unknownFields = unknownFields;
        Set<String> known = new HashSet<>(metadataFields);
        fields.forEach(f -> known.addAll(f.systemFields()));
        this.knownSystemFields = Set.copyOf(known);
        this.onDelete = onDelete;
        this.settings = settings;
    }

    public String type() {
        return type;
    }

    public String object() {
        return object;
    }

    public boolean inbound() {
        return inbound;
    }

    public boolean outbound() {
        return outbound;
    }

    /** The field mapping of the ledger type's key (the system field is the external id). */
    public FieldMapping key() {
        return key;
    }

    public List<FieldMapping> fields() {
        return fields;
    }

    public OnDelete onDelete() {
        return onDelete;
    }

    public ObjectMapping describe() {
        return new ObjectMapping(object, type, inbound, outbound, key.systemField(),
                fields.stream().flatMap(f -> f.systemFields().stream()).distinct().toList(), settings);
    }

    // ---- system -> ledger ----

    /** The system record's values in ledger terms. */
    public LedgerValues toLedger(SourceRecord record) {
        String describe = record.describe();
        ObjectNode source = record.fields();
        if (unknownFields == UnknownFields.REJECT) {
            for (Iterator<String> names = source.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!knownSystemFields.contains(name)) {
                    throw new MappingException(describe, name, "is not in the mapping of " + object + " to " + type
                            + " (the mapping rejects unknown fields)");
                }
            }
        }
        Map<FieldMapping, JsonNode> values = new LinkedHashMap<>();
        for (FieldMapping field : fields) {
            if (!field.inbound() || !source.has(field.systemField())) {
                continue;
            }
            JsonNode value = source.get(field.systemField());
            boolean blank = value.isNull() || (value.isTextual() && value.asText().isBlank());
            values.put(field, blank ? NullNode.getInstance() : field.toLedger(value, source, describe));
        }
        JsonNode id = values.get(key);
        if (id != null && id.isNull()) {
            throw new MappingException(describe, key.systemField(), "is empty: it holds the " + type + "'s key");
        }
        return new LedgerValues(id == null ? null : id.asText(), values);
    }

    /** A new ledger record from the values, with the mapping's defaults where the system gave none. */
    public ObjectNode newRecord(LedgerValues values) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        for (FieldMapping field : fields) {
            JsonNode value = values.values().get(field);
            if (value != null && !value.isNull()) {
                set(state, field.ledgerPath(), value);
            } else if (field.fallback() != null) {
                set(state, field.ledgerPath(), field.fallback());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!state.has(entry.getKey())) {
                state.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        return state;
    }

    /**
     * A JSON merge patch (RFC 7396) of what the values change in the current state: empty when the
     * ledger already holds them.
     */
    public ObjectNode patch(LedgerValues values, JsonNode current) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<FieldMapping, JsonNode> entry : values.values().entrySet()) {
            FieldMapping field = entry.getKey();
            if (field == key) {
                continue;
            }
            JsonNode held = get(current, field.ledgerPath());
            JsonNode value = entry.getValue();
            if (value.isNull() ? held != null : !field.sameLedgerValue(held, value)) {
                set(patch, field.ledgerPath(), value);
            }
        }
        return patch;
    }

    // ---- ledger -> system ----

    /** The system's fields for a ledger state (what the party reads of it): the key and every mapped field it has. */
    public ObjectNode toSystem(JsonNode state, String describe) {
        ObjectNode target = JsonNodeFactory.withExactBigDecimals(true).objectNode();
        for (FieldMapping field : fields) {
            if (!field.outbound() && field != key) {
                continue;
            }
            JsonNode value = get(state, field.ledgerPath());
            if (value != null && !value.isNull()) {
                field.toSystem(value, target, describe);
            }
        }
        return target;
    }

    static JsonNode get(JsonNode state, List<String> path) {
        JsonNode node = state;
        for (String segment : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return node;
    }

    static void set(ObjectNode target, List<String> path, JsonNode value) {
        ObjectNode node = target;
        for (String segment : path.subList(0, path.size() - 1)) {
            JsonNode child = node.get(segment);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(segment);
            }
            node = (ObjectNode) child;
        }
        node.set(path.get(path.size() - 1), value);
    }
}
