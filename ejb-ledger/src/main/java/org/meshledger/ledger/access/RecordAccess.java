package org.meshledger.ledger.access;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;

/**
 * What a record's owner has shared of it beyond the schema's {@code x-access} defaults: which
 * parties may also read or write the record, and read or write named fields of it. Kept with each
 * record version (a grant or a revocation is a version of its own, on the ledger); as JSON
 * {@code {"read": [...], "write": [...], "fields": {"taxId": {"read": [...]}}}}, parties sorted, so
 * that it hashes the same on every node.
 */
public final class RecordAccess {

    public static final RecordAccess NONE = new RecordAccess(new Grant(new TreeSet<>(), new TreeSet<>()), new TreeMap<>());

    /** Parties granted reading and writing. */
    public record Grant(SortedSet<String> read, SortedSet<String> write) {

        boolean isEmpty() {
            return read.isEmpty() && write.isEmpty();
        }

        Grant combine(Grant other, BiFunction<SortedSet<String>, Set<String>, SortedSet<String>> op) {
            return new Grant(op.apply(read, other.read), op.apply(write, other.write));
        }
    }

    private final Grant record;
    private final SortedMap<String, Grant> fields;

    private RecordAccess(Grant record, SortedMap<String, Grant> fields) {
        this.record = record;
        this.fields = fields;
    }

    public boolean readable(PartyId party) {
        return record.read().contains(party.value());
    }

    public boolean writable(PartyId party) {
        return record.write().contains(party.value());
    }

    public boolean fieldReadable(PartyId party, String field) {
        Grant grant = fields.get(field);
        return grant != null && grant.read().contains(party.value());
    }

    public boolean fieldWritable(PartyId party, String field) {
        Grant grant = fields.get(field);
        return grant != null && grant.write().contains(party.value());
    }

    public Set<String> parties() {
        Set<String> parties = new TreeSet<>(record.read());
        parties.addAll(record.write());
        fields.values().forEach(g -> {
            parties.addAll(g.read());
            parties.addAll(g.write());
        });
        return parties;
    }

    public Set<String> fieldNames() {
        return fields.keySet();
    }

    public boolean isEmpty() {
        return record.isEmpty() && fields.isEmpty();
    }

    /** This access with everything {@code granted} adds. */
    public RecordAccess plus(RecordAccess granted) {
        return combine(granted, (mine, theirs) -> {
            SortedSet<String> union = new TreeSet<>(mine);
            union.addAll(theirs);
            return union;
        });
    }

    /** This access without anything {@code revoked} names. */
    public RecordAccess minus(RecordAccess revoked) {
        return combine(revoked, (mine, theirs) -> {
            SortedSet<String> rest = new TreeSet<>(mine);
            rest.removeAll(theirs);
            return rest;
        });
    }

    private RecordAccess combine(RecordAccess other,
            BiFunction<SortedSet<String>, Set<String>, SortedSet<String>> op) {
        SortedMap<String, Grant> combined = new TreeMap<>(fields);
        Grant empty = NONE.record;
        other.fields.forEach((name, grant) -> combined.merge(name, empty.combine(grant, op), (a, b) -> a.combine(grant, op)));
        combined.values().removeIf(Grant::isEmpty);
        return new RecordAccess(record.combine(other.record, op), combined);
    }

    /** The JSON form, or null when nothing is shared (the column stays empty). */
    public ObjectNode toJson() {
        if (isEmpty()) {
            return null;
        }
        ObjectNode json = Json.object();
        write(json, record);
        if (!fields.isEmpty()) {
            ObjectNode byField = json.putObject("fields");
            fields.forEach((name, grant) -> write(byField.putObject(name), grant));
        }
        return json;
    }

    private static void write(ObjectNode json, Grant grant) {
        if (!grant.read().isEmpty()) {
            ArrayNode read = json.putArray("read");
            grant.read().forEach(read::add);
        }
        if (!grant.write().isEmpty()) {
            ArrayNode write = json.putArray("write");
            grant.write().forEach(write::add);
        }
    }

    /** The stored column: JSON text, or null when nothing is shared. */
    public String stored() {
        return isEmpty() ? null : Json.write(toJson());
    }

    /** Reads the stored column (null: nothing shared). */
    public static RecordAccess stored(String column) {
        return column == null ? NONE : parse(Json.parse(column));
    }

    /**
     * Reads the JSON form (as stored, or as a grant operation gives it; null or missing is
     * {@link #NONE}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static RecordAccess parse(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return NONE;
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("access is a JSON object with read, write and fields");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("read", "write", "fields").contains(name)) {
                throw new IllegalArgumentException("access has read, write and fields, not '" + name + "'");
            }
        }
        SortedMap<String, Grant> fields = new TreeMap<>();
        JsonNode byField = json.path("fields");
        if (!byField.isMissingNode()) {
            if (!byField.isObject()) {
                throw new IllegalArgumentException("access.fields is an object of field names");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = byField.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isObject()) {
                    throw new IllegalArgumentException("access.fields." + field.getKey() + " is an object");
                }
                for (Iterator<String> names = field.getValue().fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!Set.of("read", "write").contains(name)) {
                        throw new IllegalArgumentException("access.fields." + field.getKey()
                                + " has read and write, not '" + name + "'");
                    }
                }
                Grant grant = grant(field.getValue(), "access.fields." + field.getKey());
                if (!grant.isEmpty()) {
                    fields.put(field.getKey(), grant);
                }
            }
        }
        return new RecordAccess(grant(json, "access"), fields);
    }

    private static Grant grant(JsonNode json, String at) {
        return new Grant(parties(json.path("read"), at + ".read"), parties(json.path("write"), at + ".write"));
    }

    private static SortedSet<String> parties(JsonNode list, String at) {
        SortedSet<String> parties = new TreeSet<>();
        if (list.isMissingNode()) {
            return parties;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(at + " is a list of party ids");
        }
        for (JsonNode party : list) {
            if (!party.isTextual()) {
                throw new IllegalArgumentException(at + " is a list of party ids");
            }
            parties.add(party.asText());
        }
        return parties;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordAccess a && record.equals(a.record) && fields.equals(a.fields);
    }

    @Override
    public int hashCode() {
        return record.hashCode() * 31 + fields.hashCode();
    }

    @Override
    public String toString() {
        return isEmpty() ? "{}" : Json.write(toJson());
    }
}
