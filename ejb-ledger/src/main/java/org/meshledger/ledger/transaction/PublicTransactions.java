package org.meshledger.ledger.transaction;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.InputLimits;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.ledger.schema.StorableValues;

/**
 * Public transactions as JSON, the form they take inside a submission batch on the order topic, and
 * back. Reading is strict: a batch comes from another company's node, which may send anything; every
 * text is bounded, every type, field and party must be the network's, every hash 32 bytes. Whatever
 * does not pass is refused whole ({@link MalformedException}), and as every node reads the same bytes
 * with the same rules, every node refuses the same.
 */
public final class PublicTransactions {

    /** A public transaction that does not read: named, with no value of it. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    private static final int HASH_BYTES = 32;

    private final SharedSchema schema;
    private final Set<PartyId> parties;
    private final InputLimits limits;

    public PublicTransactions(SharedSchema schema, Set<PartyId> parties, InputLimits limits) {
        this.schema = schema;
        this.parties = Set.copyOf(parties);
        this.limits = limits;
    }

    public static ObjectNode toJson(PublicTransaction tx) {
        ObjectNode json = Json.object();
        json.put("txId", tx.txId().toString());
        json.put("party", tx.party().value());
        ObjectNode principal = json.putObject("principal");
        principal.put("kind", tx.principalKind().name().toLowerCase());
        principal.put("name", tx.principalName());
        ArrayNode roles = principal.putArray("roles");
        tx.roles().stream().map(Role::roleName).sorted().forEach(roles::add);
        json.put("idempotencyKey", tx.idempotencyKey());
        if (tx.source() == null) {
            json.putNull("source");
        } else {
            json.putObject("source").put("system", tx.source().system()).put("reference", tx.source().reference());
        }
        json.put("validFrom", tx.validFrom() == null ? null : tx.validFrom().toString());
        ArrayNode operations = json.putArray("operations");
        for (PublicOperation op : tx.operations()) {
            ObjectNode o = operations.addObject();
            o.put("op", op.kind().keyword());
            o.put("type", op.type());
            o.put("id", op.id());
            if (op.expectedVersion() != null) {
                o.put("expectedVersion", op.expectedVersion());
            }
            o.put("baseVersion", op.baseVersion());
            o.put("commitment", op.commitment());
            ArrayNode written = o.putArray("written");
            op.written().forEach(written::add);
            if (op.access() != null) {
                o.set("access", op.access());
            }
            if (op.purge() != null) {
                o.set("purge", op.purge());
            }
            if (op.fieldHashes() == null) {
                o.putNull("fields");
            } else {
                ObjectNode fields = o.putObject("fields");
                op.fieldHashes().forEach(fields::put);
            }
        }
        return json;
    }

    public PublicTransaction parse(JsonNode json) throws MalformedException {
        require(json.isObject(), "a transaction is a JSON object");
        UUID txId;
        try {
            txId = UUID.fromString(text(json, "txId", 36));
        } catch (IllegalArgumentException e) {
            throw new MalformedException("txId is not a UUID");
        }
        String party = text(json, "party", 63);
        require(PartyId.isValid(party) && parties.contains(new PartyId(party)), "party is no party of the network");
        JsonNode principal = json.path("principal");
        String kind = text(principal, "kind", 16);
        PrincipalKind principalKind = switch (kind) {
            case "user" -> PrincipalKind.USER;
            case "system" -> PrincipalKind.SYSTEM;
            default -> throw new MalformedException("principal.kind is neither user nor system");
        };
        String name = text(principal, "name", limits.maxTextLength());
        Set<Role> roles = EnumSet.noneOf(Role.class);
        JsonNode roleList = principal.path("roles");
        require(roleList.isArray() && roleList.size() <= Role.values().length, "principal.roles is a short list");
        for (JsonNode role : roleList) {
            roles.add(roleOf(role.asText()));
        }
        String key = optionalText(json, "idempotencyKey", limits.maxIndexedTextLength());
        SourceReference source = null;
        if (!json.path("source").isNull()) {
            JsonNode s = json.path("source");
            source = new SourceReference(text(s, "system", limits.maxIndexedTextLength()),
                    text(s, "reference", limits.maxIndexedTextLength()));
        }
        Instant validFrom = null;
        String valid = optionalText(json, "validFrom", 40);
        if (valid != null) {
            try {
                validFrom = Instant.parse(valid);
            } catch (DateTimeParseException e) {
                throw new MalformedException("validFrom is not an instant");
            }
        }
        JsonNode ops = json.path("operations");
        require(ops.isArray() && !ops.isEmpty() && ops.size() <= limits.maxOperations(),
                "operations lists 1 to " + limits.maxOperations() + " operations");
        List<PublicOperation> operations = new ArrayList<>();
        for (JsonNode op : ops) {
            operations.add(operation(op));
        }
        return new PublicTransaction(txId, new PartyId(party), principalKind, name, roles, key, source, validFrom,
                operations);
    }

    private PublicOperation operation(JsonNode op) throws MalformedException {
        require(op.isObject(), "an operation is a JSON object");
        OperationKind kind = OperationKind.of(text(op, "op", 16))
                .orElseThrow(() -> new MalformedException("an operation's op is unknown"));
        String typeName = text(op, "type", 128);
        RecordType type = schema.type(typeName).orElseThrow(() -> new MalformedException("type is no record type"));
        String id = text(op, "id", limits.maxIndexedTextLength());
        require(!id.isEmpty(), "id is empty");
        Integer expected = null;
        if (op.has("expectedVersion")) {
            require(op.path("expectedVersion").canConvertToInt() && op.path("expectedVersion").isIntegralNumber()
                    && op.path("expectedVersion").intValue() >= 0, "expectedVersion is a version");
            expected = op.path("expectedVersion").intValue();
        }
        JsonNode base = op.path("baseVersion");
        require(base.isIntegralNumber() && base.canConvertToInt() && base.intValue() >= 0, "baseVersion is a version");
        String commitment = hash(op.path("commitment"), "commitment");
        JsonNode writtenList = op.path("written");
        require(writtenList.isArray() && writtenList.size() <= 1000, "written is a list of fields");
        List<String> written = new ArrayList<>();
        for (JsonNode field : writtenList) {
            require(field.isTextual() && type.hasField(field.asText()), "written names a field of no " + typeName);
            written.add(field.asText());
        }
        JsonNode access = null;
        if (kind.changesAccess()) {
            access = op.path("access");
            require(access.isObject() && Json.write(access).length() <= limits.maxRecordBytes(), "access is an object");
            try {
                RecordAccess.parse(access);
            } catch (RuntimeException e) {
                throw new MalformedException("access is no access rule");
            }
        }
        JsonNode purge = null;
        if (kind == OperationKind.PURGE) {
            purge = op.path("purge");
            require(purge.isObject() && purge.path("fields").isArray() && purge.path("reason").isTextual()
                    && Json.write(purge).length() <= limits.maxRecordBytes()
                    && StorableValues.unstorable(purge.path("reason").asText(), false) == null,
                    "purge names fields and a storable reason");
            for (JsonNode field : purge.path("fields")) {
                require(field.isTextual() && type.hasField(field.asText()), "purge names a field of no " + typeName);
            }
        }
        Map<String, String> fields = null;
        JsonNode fieldNode = op.path("fields");
        if (kind == OperationKind.DELETE) {
            require(fieldNode.isNull(), "a deletion writes no fields");
        } else {
            require(fieldNode.isObject() && fieldNode.size() <= 1000, "fields is an object");
            fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = fieldNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                require(type.hasField(field.getKey()), "fields names a field of no " + typeName);
                fields.put(field.getKey(), hash(field.getValue(), "a field's hash"));
            }
        }
        return PublicOperation.of(kind, typeName, id, expected, base.intValue(), commitment, written, access, purge,
                fields);
    }

    private static Role roleOf(String name) throws MalformedException {
        for (Role role : Role.values()) {
            if (role.roleName().equals(name)) {
                return role;
            }
        }
        throw new MalformedException("principal.roles names an unknown role");
    }

    private static String hash(JsonNode node, String what) throws MalformedException {
        require(node.isTextual() && node.asText().length() == 44, what + " is a base64 SHA-256 hash");
        try {
            require(Base64.getDecoder().decode(node.asText()).length == HASH_BYTES, what + " is a SHA-256 hash");
        } catch (IllegalArgumentException e) {
            throw new MalformedException(what + " is not base64");
        }
        return node.asText();
    }

    private static String text(JsonNode node, String field, int maxLength) throws MalformedException {
        JsonNode value = node.path(field);
        require(value.isTextual() && value.asText().length() <= maxLength, field + " is a text of at most " + maxLength
                + " characters");
        require(StorableValues.unstorable(value.asText(), true) == null, field + " holds characters no text may hold");
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field, int maxLength) throws MalformedException {
        return node.path(field).isNull() || node.path(field).isMissingNode() ? null : text(node, field, maxLength);
    }

    private static void require(boolean condition, String rule) throws MalformedException {
        if (!condition) {
            throw new MalformedException("A public transaction is malformed: " + rule);
        }
    }
}
