package org.meshledger.ledger.network;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import org.meshledger.ledger.access.AccessRule;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.Classification;
import org.meshledger.ledger.schema.FieldRule;
import org.meshledger.ledger.schema.InputLimits;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.Retention;
import org.meshledger.ledger.schema.RetentionEvent;
import org.meshledger.ledger.schema.RowRule;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.persistence.ledger.RowScope;

/**
 * Reads a network definition file (JSON): its parties and its shared schema. Everything is checked
 * before the node uses it (the schema against the JSON Schema 2020-12 meta-schema, every {@code x-}
 * extension against the parties and properties it names), and the first problem is reported with
 * where it is.
 */
public final class NetworkLoader {

    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final InputLimits limits;
    /** Reads schemas; {@code format} is asserted, not only annotated, so a date is a date. */
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .build()));

    /** A loader whose record types hold values to the default limits. */
    public NetworkLoader() {
        this(InputLimits.DEFAULT);
    }

    public NetworkLoader(InputLimits limits) {
        this.limits = limits;
    }

    public NetworkDefinition load(InputStream in, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new NetworkDefinitionException(source + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new NetworkDefinitionException(source + " must hold a JSON object");
        }
        String id = text(root, "network", source);
        List<PartyDefinition> parties = parties(root.path("parties"), source);
        Set<PartyId> partyIds = new LinkedHashSet<>();
        parties.forEach(party -> partyIds.add(party.id()));
        SharedSchema schema = schema(root.path("schema"), partyIds, source);
        List<NodeDefinition> nodes = nodes(root.path("nodes"), partyIds, source);
        return new NetworkDefinition(id, root.path("displayName").asText(id), root.path("description").asText(""),
                parties, schema, nodes);
    }

    /**
     * {@code nodes}: optional; without it, one node hosts every party. With it, every party is hosted
     * by exactly one node, and no two nodes share an id, a key or a Kafka principal.
     */
    private static List<NodeDefinition> nodes(JsonNode array, Set<PartyId> parties, String source) {
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray() || array.isEmpty()) {
            throw new NetworkDefinitionException(source + ": \"nodes\", when given, must list at least one node");
        }
        List<NodeDefinition> nodes = new ArrayList<>();
        Map<PartyId, String> hostOf = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        Set<String> principals = new HashSet<>();
        for (JsonNode node : array) {
            String id = text(node, "id", source + " nodes[]");
            String at = source + ": node '" + id + "'";
            if (!PartyId.isValid(id)) {
                throw new NetworkDefinitionException(source + ": node id '" + id
                        + "' is not lower-case words joined by hyphens");
            }
            if (!ids.add(id)) {
                throw new NetworkDefinitionException(at + " is defined twice");
            }
            JsonNode hosted = node.path("parties");
            if (!hosted.isArray() || hosted.isEmpty()) {
                throw new NetworkDefinitionException(at + " must list the parties it hosts");
            }
            List<PartyId> hostedParties = new ArrayList<>();
            for (JsonNode party : hosted) {
                String name = party.asText();
                if (!party.isTextual() || !PartyId.isValid(name) || !parties.contains(new PartyId(name))) {
                    throw new NetworkDefinitionException(at + " hosts '" + name + "', which is no party of the network");
                }
                String other = hostOf.put(new PartyId(name), id);
                if (other != null) {
                    throw new NetworkDefinitionException(at + " hosts party '" + name + "', which node '" + other
                            + "' hosts already: a party is hosted by one node");
                }
                hostedParties.add(new PartyId(name));
            }
            PublicKey signing = nodeKey(node, "signingKey", "Ed25519", at);
            PublicKey encryption = nodeKey(node, "encryptionKey", "X25519", at);
            for (PublicKey key : List.of(signing, encryption)) {
                if (!keys.add(Base64.getEncoder().encodeToString(key.getEncoded()))) {
                    throw new NetworkDefinitionException(at + " uses a key another node (or its other key) uses: "
                            + "every node has keys of its own");
                }
            }
            String principal = text(node, "kafkaPrincipal", at);
            if (!principal.matches("User:[A-Za-z0-9._@=-]{1,128}")) {
                throw new NetworkDefinitionException(at + ": kafkaPrincipal must be 'User:<name>' (letters, digits, "
                        + "'.', '_', '@', '=', '-'), not '" + principal + "'");
            }
            if (!principals.add(principal)) {
                throw new NetworkDefinitionException(at + ": kafkaPrincipal '" + principal + "' is another node's");
            }
            String address = node.path("address").isTextual() ? node.path("address").asText() : null;
            if (address != null && !address.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
                throw new NetworkDefinitionException(at + ": address must be an http(s) URL, not '" + address + "'");
            }
            nodes.add(new NodeDefinition(id, node.path("displayName").asText(id), hostedParties, signing, encryption,
                    principal, address));
        }
        for (PartyId party : parties) {
            if (!hostOf.containsKey(party)) {
                throw new NetworkDefinitionException(source + ": party '" + party + "' is hosted by no node: every "
                        + "party is hosted by exactly one node");
            }
        }
        return nodes;
    }

    private static PublicKey nodeKey(JsonNode node, String field, String algorithm, String at) {
        JsonNode key = node.path(field);
        if (!key.isTextual()) {
            throw new NetworkDefinitionException(at + " needs a " + field + " (an " + algorithm
                    + " public key, base64 X.509 SubjectPublicKeyInfo)");
        }
        try {
            // The key factory of the algorithm refuses a key of any other curve (by its OID).
            return KeyFactory.getInstance(algorithm)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.asText())));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new NetworkDefinitionException(at + ": its " + field + " is not an " + algorithm + " public key: "
                    + e.getMessage(), e);
        }
    }

    private static List<PartyDefinition> parties(JsonNode array, String source) {
        if (!array.isArray() || array.isEmpty()) {
            throw new NetworkDefinitionException(source + ": \"parties\" must list at least one party");
        }
        List<PartyDefinition> parties = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode party : array) {
            String id = text(party, "id", source + " parties[]");
            if (!PartyId.isValid(id)) {
                throw new NetworkDefinitionException(source + ": party id '" + id
                        + "' is not lower-case words joined by hyphens");
            }
            if (!seen.add(id)) {
                throw new NetworkDefinitionException(source + ": party '" + id + "' is defined twice");
            }
            parties.add(new PartyDefinition(new PartyId(id), party.path("displayName").asText(id),
                    party.path("description").asText(""), signingKey(party.path("signingKey"), id, source)));
        }
        return parties;
    }

    private static PublicKey signingKey(JsonNode key, String party, String source) {
        if (!key.isTextual()) {
            throw new NetworkDefinitionException(source + ": party '" + party
                    + "' needs a signingKey (an Ed25519 public key, base64 X.509 SubjectPublicKeyInfo)");
        }
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.asText())));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new NetworkDefinitionException(source + ": the signingKey of party '" + party
                    + "' is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private SharedSchema schema(JsonNode document, Set<PartyId> parties, String source) {
        String where = source + " schema";
        if (!document.isObject()) {
            throw new NetworkDefinitionException(source + ": \"schema\" must be a JSON Schema object");
        }
        if (!DIALECT.equals(document.path("$schema").asText())) {
            throw new NetworkDefinitionException(where + ": \"$schema\" must be " + DIALECT);
        }
        List<Error> metaErrors = registry.getSchema(SchemaLocation.of(DIALECT)).validate(document);
        if (!metaErrors.isEmpty()) {
            Error first = metaErrors.get(0);
            throw new NetworkDefinitionException(where + " is not a valid JSON Schema 2020-12 at "
                    + first.getInstanceLocation() + ": " + first.getMessage());
        }
        JsonNode defs = document.path("$defs");
        Map<String, RecordType> types = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = defs.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (entry.getValue().has("x-key")) {
                types.put(entry.getKey(), recordType(entry.getKey(), entry.getValue(), document, parties, where));
            }
        }
        if (types.isEmpty()) {
            throw new NetworkDefinitionException(where + " defines no record type (a $defs entry with x-key)");
        }
        for (RecordType type : types.values()) {
            for (FieldRule field : type.fields().values()) {
                if (field.references() != null && !types.containsKey(field.references())) {
                    throw new NetworkDefinitionException(where + ": " + type.name() + "." + field.name()
                            + " x-references unknown record type '" + field.references() + "'");
                }
            }
        }
        for (RecordType type : types.values()) {
            for (String origin : type.derivedFrom()) {
                if (!types.containsKey(origin) || origin.equals(type.name())) {
                    throw new NetworkDefinitionException(where + ": " + type.name() + " x-derivedFrom names '" + origin
                            + "', which is not another record type");
                }
            }
        }
        for (Map.Entry<String, RecordType> type : types.entrySet()) {
            type.setValue(type.getValue().withRows(rowRules(type.getValue(), types, parties, where)));
        }
        Map<String, RetentionEvent> events = events(document.path("x-events"), types, where);
        for (RecordType type : types.values()) {
            for (FieldRule field : type.fields().values()) {
                if (field.retention() != null) {
                    checkRetention(type, field, events, types, where);
                }
            }
        }
        return new SharedSchema(document.path("$id").asText(""), document.path("version").asText("1"), types,
                document, events, limits);
    }

    private RecordType recordType(String name, JsonNode definition, JsonNode document, Set<PartyId> parties,
            String where) {
        String at = where + " $defs." + name;
        JsonNode properties = definition.path("properties");
        if (!"object".equals(definition.path("type").asText()) || !properties.isObject()) {
            throw new NetworkDefinitionException(at + ": a record type must be an object with properties");
        }
        String key = definition.path("x-key").asText();
        if (!properties.has(key) || !"string".equals(properties.path(key).path("type").asText())) {
            throw new NetworkDefinitionException(at + ": x-key '" + key + "' must name a string property");
        }
        if (!contains(definition.path("required"), key)) {
            throw new NetworkDefinitionException(at + ": x-key '" + key + "' must be required");
        }
        List<String> indexes = new ArrayList<>();
        for (JsonNode index : definition.path("x-indexes")) {
            String field = index.asText();
            JsonNode property = properties.path(field);
            if (property.isMissingNode()) {
                throw new NetworkDefinitionException(at + ": x-indexes names unknown property '" + field + "'");
            }
            String type = property.path("type").asText("");
            if (type.equals("object") || type.equals("array") || (type.isEmpty() && !property.has("$ref"))) {
                throw new NetworkDefinitionException(at + ": x-indexes property '" + field
                        + "' must hold a single value (string, number, boolean)");
            }
            indexes.add(field);
        }
        AccessRule typeAccess = access(definition.path("x-access"), parties, at);
        if (typeAccess.read() == null || typeAccess.write() == null) {
            throw new NetworkDefinitionException(at + ": x-access must say which parties read and write it");
        }
        typeAccess = new AccessRule(typeAccess.read(), typeAccess.write(),
                typeAccess.admin() == null ? typeAccess.write() : typeAccess.admin(), typeAccess.delete());
        Map<String, FieldRule> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> props = properties.fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> property = props.next();
            checkTransitions(property.getValue().path("x-transitions"), parties, at + "." + property.getKey());
            fields.put(property.getKey(), fieldRule(property.getKey(), property.getValue(), parties,
                    at + "." + property.getKey()));
        }
        // Each type is validated on its own, with the document's shared definitions in reach, and
        // every text bounded: those the schema leaves open by default, indexed ones to what an index holds.
        ObjectNode defs = document.path("$defs").deepCopy();
        boundTexts(defs, limits.maxTextLength());
        ObjectNode ownProperties = (ObjectNode) defs.path(name).path("properties");
        for (String field : indexes) {
            ObjectNode bounded = Json.object();
            bounded.putArray("allOf").add(ownProperties.get(field));
            bounded.put("maxLength", limits.maxIndexedTextLength());
            ownProperties.set(field, bounded);
        }
        ObjectNode standalone = Json.object();
        standalone.put("$schema", DIALECT);
        standalone.set("$defs", defs);
        standalone.put("$ref", "#/$defs/" + name);
        Schema validator = registry.getSchema(standalone);
        return new RecordType(name, definition.path("title").asText(name), key, List.copyOf(indexes), typeAccess,
                Map.copyOf(fields), definition, validator, Map.of(), limits);
    }

    /** Gives every string schema (or schema allowing strings) without a maxLength one of {@code max}. */
    private static void boundTexts(JsonNode schema, int max) {
        if (schema.isObject()) {
            JsonNode type = schema.path("type");
            boolean text = type.asText().equals("string") || type.isArray() && contains(type, "string");
            if (text && !schema.has("maxLength") && !schema.has("enum") && !schema.has("const")) {
                ((ObjectNode) schema).put("maxLength", max);
            }
        }
        if (schema.isContainerNode()) {
            schema.forEach(child -> boundTexts(child, max));
        }
    }

    /** {@code x-events}: {@code {"<name>": {"type": "<Type>", "field": "<field>", "values": [...]}}}. */
    private static Map<String, RetentionEvent> events(JsonNode definitions, Map<String, RecordType> types,
            String where) {
        Map<String, RetentionEvent> events = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = where + ".x-events." + entry.getKey();
            JsonNode event = entry.getValue();
            RecordType type = types.get(event.path("type").asText());
            if (type == null || type.field(event.path("field").asText()) == null) {
                throw new NetworkDefinitionException(at + " must name a record type and one of its fields");
            }
            List<String> values = new ArrayList<>();
            event.path("values").forEach(v -> values.add(v.asText()));
            if (values.isEmpty()) {
                throw new NetworkDefinitionException(at + ".values must list the values that make the event");
            }
            events.put(entry.getKey(), new RetentionEvent(entry.getKey(), type.name(), event.path("field").asText(),
                    values));
        }
        return events;
    }

    /** An x-retention's event is known, and its via leads to the event's type. */
    private static void checkRetention(RecordType type, FieldRule field, Map<String, RetentionEvent> events,
            Map<String, RecordType> types, String where) {
        String at = where + "." + type.name() + "." + field.name() + ".x-retention";
        Retention retention = field.retention();
        if (retention.afterRecorded()) {
            return;
        }
        RetentionEvent event = events.get(retention.after());
        if (event == null) {
            throw new NetworkDefinitionException(at + ".after '" + retention.after() + "' is neither 'recorded' nor "
                    + "an event of x-events");
        }
        String via = retention.via();
        boolean leads;
        if (via == null) {
            leads = event.type().equals(type.name());
        } else if (via.startsWith("^")) {
            String[] parts = via.substring(1).split("\\.", 2);
            FieldRule from = parts.length == 2 && types.containsKey(parts[0]) ? types.get(parts[0]).field(parts[1]) : null;
            leads = from != null && parts[0].equals(event.type()) && type.name().equals(from.references());
        } else {
            FieldRule from = type.field(via);
            leads = from != null && event.type().equals(from.references());
        }
        if (!leads) {
            throw new NetworkDefinitionException(at + ".via must lead from " + type.name() + " to the " + event.type()
                    + " records of event '" + event.name() + "' (a field referring to them, or ^" + event.type()
                    + ".field referring to " + type.name() + ")");
        }
    }

    /**
     * {@code x-access.rows}: {@code {"<party>": {"link": "<Type>", "path": ["<step>", ...]}}}. A step
     * is a field holding another record's key ({@code x-references}), or {@code ^Type.field} for the
     * records of Type whose field holds this record's key; the last step is a field that holds the
     * linked record's key (or is the key, when the type is the linked type).
     */
    private static Map<PartyId, RowRule> rowRules(RecordType type, Map<String, RecordType> types,
            Set<PartyId> parties, String where) {
        JsonNode rows = type.jsonSchema().path("x-access").path("rows");
        Map<PartyId, RowRule> rules = new LinkedHashMap<>();
        String at = where + "." + type.name() + ".x-access.rows";
        for (Iterator<Map.Entry<String, JsonNode>> it = rows.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String ruleAt = at + "." + entry.getKey();
            if (!PartyId.isValid(entry.getKey()) || !parties.contains(new PartyId(entry.getKey()))) {
                throw new NetworkDefinitionException(ruleAt + ": '" + entry.getKey() + "' is no party of the network");
            }
            String link = entry.getValue().path("link").asText("");
            if (!types.containsKey(link)) {
                throw new NetworkDefinitionException(ruleAt + ".link: '" + link + "' is no record type");
            }
            JsonNode path = entry.getValue().path("path");
            if (!path.isArray() || path.isEmpty()) {
                throw new NetworkDefinitionException(ruleAt + ".path must be a non-empty list of steps");
            }
            List<RowScope.Step> steps = new ArrayList<>();
            RecordType current = type;
            for (int i = 0; i < path.size(); i++) {
                String step = path.get(i).asText();
                boolean last = i == path.size() - 1;
                if (step.startsWith("^")) {
                    String[] parts = step.substring(1).split("\\.", 2);
                    RecordType from = parts.length == 2 ? types.get(parts[0]) : null;
                    FieldRule field = from == null ? null : from.field(parts[1]);
                    if (last || field == null || !current.name().equals(field.references())) {
                        throw new NetworkDefinitionException(ruleAt + ".path[" + i + "] '" + step + "' must be ^Type.field "
                                + "where Type.field refers to " + current.name() + ", and not the last step");
                    }
                    steps.add(new RowScope.Step(parts[1], from.name(), true));
                    current = from;
                } else if (last) {
                    FieldRule field = current.field(step);
                    boolean holdsLink = field != null && (link.equals(field.references())
                            || (current.name().equals(link) && step.equals(current.keyField())));
                    if (!holdsLink) {
                        throw new NetworkDefinitionException(ruleAt + ".path[" + i + "] '" + step + "' must be a field of "
                                + current.name() + " that holds a " + link + " key");
                    }
                    steps.add(new RowScope.Step(step, null, false));
                } else {
                    FieldRule field = current.field(step);
                    if (field == null || field.references() == null) {
                        throw new NetworkDefinitionException(ruleAt + ".path[" + i + "] '" + step + "' must be a field of "
                                + current.name() + " with x-references");
                    }
                    steps.add(new RowScope.Step(step, field.references(), false));
                    current = types.get(field.references());
                }
            }
            rules.put(new PartyId(entry.getKey()), new RowRule(link, steps));
        }
        return rules;
    }

    private static FieldRule fieldRule(String name, JsonNode property, Set<PartyId> parties, String at) {
        Classification classification = null;
        if (property.has("x-classification")) {
            String keyword = property.path("x-classification").asText();
            classification = Classification.of(keyword).orElseThrow(() -> new NetworkDefinitionException(at
                    + ": x-classification '" + keyword + "' is none of public, internal, confidential, pii"));
        }
        Retention retention = null;
        if (property.has("x-retention")) {
            JsonNode rule = property.path("x-retention");
            try {
                retention = new Retention(Period.parse(rule.path("period").asText()),
                        rule.path("after").asText(Retention.RECORDED), rule.hasNonNull("via") ? rule.path("via").asText()
                                : null);
            } catch (DateTimeParseException e) {
                throw new NetworkDefinitionException(at + ": x-retention.period must be an ISO 8601 period such as P7Y");
            }
            // What is kept for a time must be purged after it, and only pii or confidential fields can be.
            if (classification != Classification.PII && classification != Classification.CONFIDENTIAL) {
                throw new NetworkDefinitionException(at + ": x-retention needs x-classification pii or confidential: "
                        + "only those can be purged (they never travel on the event topics)");
            }
        }
        String references = property.has("x-references") ? property.path("x-references").asText() : null;
        return new FieldRule(name, access(property.path("x-access"), parties, at), classification, retention,
                references);
    }

    private static AccessRule access(JsonNode rule, Set<PartyId> parties, String at) {
        if (rule.isMissingNode()) {
            return AccessRule.UNSPECIFIED;
        }
        return new AccessRule(partySet(rule, "read", parties, at), partySet(rule, "write", parties, at),
                partySet(rule, "admin", parties, at), partySet(rule, "delete", parties, at));
    }

    /**
     * {@code x-transitions}: {@code {"<party>": {"<value before>": ["<value after>", ...]}}}, the only
     * changes of the field's value that party may make.
     */
    private static void checkTransitions(JsonNode transitions, Set<PartyId> parties, String at) {
        if (transitions.isMissingNode()) {
            return;
        }
        String where = at + ".x-transitions";
        if (!transitions.isObject()) {
            throw new NetworkDefinitionException(where + " must map parties to {\"from\": [\"to\", ...]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = transitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> party = it.next();
            if (!PartyId.isValid(party.getKey()) || !parties.contains(new PartyId(party.getKey()))) {
                throw new NetworkDefinitionException(where + " names '" + party.getKey()
                        + "', which is no party of the network");
            }
            if (!party.getValue().isObject()) {
                throw new NetworkDefinitionException(where + "." + party.getKey() + " must map values to lists");
            }
            for (JsonNode targets : party.getValue()) {
                if (!targets.isArray()) {
                    throw new NetworkDefinitionException(where + "." + party.getKey()
                            + " must map each value to a list of the values it may become");
                }
            }
        }
    }

    private static Set<PartyId> partySet(JsonNode rule, String action, Set<PartyId> parties, String at) {
        JsonNode list = rule.path(action);
        if (list.isMissingNode()) {
            return null;
        }
        if (!list.isArray()) {
            throw new NetworkDefinitionException(at + ": x-access." + action + " must be a list of party ids");
        }
        Set<PartyId> set = new LinkedHashSet<>();
        for (JsonNode party : list) {
            String id = party.asText();
            if (!PartyId.isValid(id) || !parties.contains(new PartyId(id))) {
                throw new NetworkDefinitionException(at + ": x-access." + action + " names '" + id
                        + "', which is no party of the network");
            }
            set.add(new PartyId(id));
        }
        return set;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new NetworkDefinitionException(where + ": \"" + field + "\" is required (a string)");
        }
        return value.asText();
    }
}
