package org.meshledger.ledger.block;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.json.JsonStrings;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.persistence.ledger.RecordVersionRow;

/**
 * Salted hashes of a record's fields, so that the ledger's hashes give nothing away to a party that
 * may not read a value: a tax id has too few possible values to be hidden by a plain hash, anyone
 * could hash every guess. Each record version has a random salt (derived from its submission's seed
 * with HMAC-SHA256, so every node derives the same), each field a salt of its own derived from it,
 * and a field's hash covers its name, its salt and its value. A proof discloses the salt and value of
 * the fields its reader may read and only the hash of the others; knowing one field's salt tells
 * nothing about another's.
 */
public final class SaltedFields {

    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK has no HmacSHA256", e);
        }
    });

    private SaltedFields() {
    }

    /** The salt of one record version, from its transaction's seed. */
    public static byte[] versionSalt(byte[] seed, String type, String id, int version) {
        return hmac(seed, Json.MAPPER.createArrayNode().add("record-version").add(type).add(id).add(version));
    }

    /** The salt of the commitment to a transaction's operation at {@code index}. */
    public static byte[] operationSalt(byte[] seed, int index) {
        return hmac(seed, Json.MAPPER.createArrayNode().add("operation").add(index));
    }

    /** The salt of one field of a record version. */
    public static byte[] fieldSalt(byte[] versionSalt, String field) {
        return hmac(versionSalt, Json.MAPPER.createArrayNode().add("field").add(field));
    }

    /** What a field's hash is the hash of: {@code {"name", "salt", "value"}}. */
    public static ObjectNode fieldCommitment(byte[] versionSalt, String field, JsonNode value) {
        return commitment(fieldSalt(versionSalt, field), field, value);
    }

    /** What a field's hash is the hash of, given the field's own salt. */
    public static ObjectNode commitment(byte[] fieldSalt, String field, JsonNode value) {
        ObjectNode commitment = Json.object();
        commitment.put("name", field);
        commitment.put("salt", LedgerHashing.base64(fieldSalt));
        commitment.set("value", value);
        return commitment;
    }

    /**
     * The salt of each field of a stored version: derived from the version's salt, or, on a node
     * that holds some of its fields only, that field's own salt (null for a field it does not hold).
     */
    public static Function<String, byte[]> salts(RecordVersionRow row) {
        if (row.salt() != null) {
            byte[] versionSalt = row.salt();
            return field -> fieldSalt(versionSalt, field);
        }
        Map<String, byte[]> salts = new HashMap<>();
        Json.parse(row.fieldSalts()).fields().forEachRemaining(f -> salts.put(f.getKey(),
                Base64.getDecoder().decode(f.getValue().asText())));
        return salts::get;
    }

    /**
     * The hash of a field's commitment. The canonical JSON of {@code {"name", "salt", "value"}} (keys
     * already in RFC 8785 order) is written directly when the name and value are plain text (no
     * control character, no surrogate), as most are; anything else goes through the canonicalizer.
     * {@code SaltedFieldsTest} holds both ways to the same bytes.
     */
    public static byte[] fieldHash(byte[] versionSalt, String field, JsonNode value) {
        return hashWithSalt(fieldSalt(versionSalt, field), field, value);
    }

    /** The hash of a field's commitment, given the field's own salt. */
    public static byte[] hashWithSalt(byte[] fieldSalt, String field, JsonNode value) {
        if (value != null && value.isTextual() && plain(field) && plain(value.textValue())) {
            String canonical = "{\"name\":" + JsonStrings.quote(field) + ",\"salt\":\""
                    + LedgerHashing.base64(fieldSalt) + "\",\"value\":"
                    + JsonStrings.quote(value.textValue()) + "}";
            return MerkleTree.leafHash(canonical.getBytes(StandardCharsets.UTF_8));
        }
        return LedgerHashing.hash(commitment(fieldSalt, field, value));
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Each top-level field of a state by its salted hash (base64), or an empty object for no state. */
    public static ObjectNode fieldHashes(JsonNode state, byte[] versionSalt) {
        return fieldHashes(state, field -> fieldSalt(versionSalt, field));
    }

    /** Each top-level field of a state by its salted hash (base64), each field salted by {@code salts}. */
    public static ObjectNode fieldHashes(JsonNode state, Function<String, byte[]> salts) {
        ObjectNode hashes = Json.object();
        if (state == null) {
            return hashes;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = state.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            hashes.put(field.getKey(), LedgerHashing.base64(hashWithSalt(salts.apply(field.getKey()), field.getKey(),
                    field.getValue())));
        }
        return hashes;
    }

    private static byte[] hmac(byte[] key, JsonNode message) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return mac.doFinal(CanonicalJson.bytes(message));
    }
}
