package org.meshledger.ledger.block;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;

/**
 * What a party may read and write, worked out from the network file's {@code x-access} lists
 * directly and on its own, as the access matrix's expected outcomes (not from {@code AccessPolicy},
 * which the matrix tests). Record grants are given per record as {@code party -> fields} ("*" for
 * the whole record).
 */
final class AccessOracle {

    final JsonNode network;
    final JsonNode types;

    AccessOracle() {
        try (InputStream in = DemoNetwork.class.getResourceAsStream(DemoNetwork.RESOURCE)) {
            network = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        types = network.at("/schema/$defs");
    }

    List<String> parties() {
        List<String> parties = new ArrayList<>();
        network.path("parties").forEach(p -> parties.add(p.path("id").asText()));
        return parties;
    }

    List<String> recordTypes() {
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> type = it.next();
            if (type.getValue().has("x-key")) {
                names.add(type.getKey());
            }
        }
        return names;
    }

    String key(String type) {
        return types.path(type).path("x-key").asText();
    }

    List<String> indexes(String type) {
        List<String> indexes = new ArrayList<>();
        types.path(type).path("x-indexes").forEach(i -> indexes.add(i.asText()));
        return indexes;
    }

    List<String> required(String type) {
        List<String> required = new ArrayList<>();
        types.path(type).path("required").forEach(i -> required.add(i.asText()));
        return required;
    }

    private static Set<String> list(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        Set<String> values = new TreeSet<>();
        node.forEach(v -> values.add(v.asText()));
        return values;
    }

    Set<String> typeReaders(String type) {
        return list(types.path(type).at("/x-access/read"));
    }

    Set<String> typeWriters(String type) {
        return list(types.path(type).at("/x-access/write"));
    }

    /** {@code x-access.admin}, or the writers when it is not given. */
    Set<String> typeAdmins(String type) {
        Set<String> admins = list(types.path(type).at("/x-access/admin"));
        return admins != null ? admins : typeWriters(type);
    }

    private Set<String> fieldList(String type, String field, String which) {
        return list(types.path(type).path("properties").path(field).path("x-access").path(which));
    }

    boolean canReadRecord(String party, String type, Map<String, Set<String>> grants) {
        return typeReaders(type).contains(party) || grants.getOrDefault(party, Set.of()).contains("*");
    }

    /**
     * Whether the party's reader (linked to {@code anchor}, a Borrower id, or to nothing) sees the
     * record: shared with its party, or the type's rule names the party and the record is connected
     * to the anchor by the party's {@code x-access.rows} path, if any, walked through {@code records}.
     */
    boolean visible(String party, String type, JsonNode record, Map<String, Set<String>> grants, String anchor,
            JsonNode records) {
        if (grants.getOrDefault(party, Set.of()).contains("*")) {
            return true;
        }
        if (!typeReaders(type).contains(party)) {
            return false;
        }
        JsonNode rule = types.path(type).at("/x-access/rows").path(party);
        if (rule.isMissingNode()) {
            return true;
        }
        List<String> path = new ArrayList<>();
        rule.path("path").forEach(step -> path.add(step.asText()));
        return anchor != null && reaches(type, record, path, anchor, records);
    }

    private boolean reaches(String type, JsonNode record, List<String> path, String anchor, JsonNode records) {
        String step = path.get(0);
        if (path.size() == 1) {
            return anchor.equals(record.path(step).asText(null));
        }
        List<String> rest = path.subList(1, path.size());
        if (step.startsWith("^")) {
            String from = step.substring(1, step.indexOf('.'));
            String field = step.substring(step.indexOf('.') + 1);
            String id = record.path(key(type)).asText();
            for (JsonNode other : records.path(from)) {
                if (id.equals(other.path(field).asText(null)) && reaches(from, other, rest, anchor, records)) {
                    return true;
                }
            }
            return false;
        }
        String to = types.path(type).path("properties").path(step).path("x-references").asText();
        for (JsonNode other : records.path(to)) {
            if (other.path(key(to)).asText().equals(record.path(step).asText(null))) {
                return reaches(to, other, rest, anchor, records);
            }
        }
        return false;
    }

    /** Whether a rows rule limits the party's reads of the type. */
    boolean limitedByRows(String party, String type) {
        return !types.path(type).at("/x-access/rows").path(party).isMissingNode();
    }

    boolean canReadField(String party, String type, String field, Map<String, Set<String>> grants) {
        if (!canReadRecord(party, type, grants)) {
            return false;
        }
        Set<String> readers = fieldList(type, field, "read");
        return readers == null || readers.contains(party) || grants.getOrDefault(party, Set.of()).contains(field);
    }

    /** A field a list may filter or sort on for this party: one it reads on every record of the type. */
    boolean canFilter(String party, String type, String field) {
        return indexes(type).contains(field) && canReadField(party, type, field, Map.of());
    }

    boolean canWriteField(String party, String type, String field) {
        if (!typeWriters(type).contains(party)) {
            return false;
        }
        Set<String> writers = fieldList(type, field, "write");
        return writers == null || writers.contains(party);
    }

    /** The fields of a state this party reads on a record with these grants. */
    Set<String> readable(String party, String type, JsonNode state, Map<String, Set<String>> grants) {
        Set<String> fields = new TreeSet<>();
        if (state == null) {
            return fields;
        }
        state.fieldNames().forEachRemaining(f -> {
            if (canReadField(party, type, f, grants)) {
                fields.add(f);
            }
        });
        return fields;
    }

    /** Every text in a value (string leaves, numbers as text), to look for in what a party is shown. */
    static List<String> texts(JsonNode value) {
        List<String> texts = new ArrayList<>();
        if (value.isValueNode()) {
            texts.add(value.asText());
        } else {
            value.forEach(v -> texts.addAll(texts(v)));
        }
        return texts;
    }
}
