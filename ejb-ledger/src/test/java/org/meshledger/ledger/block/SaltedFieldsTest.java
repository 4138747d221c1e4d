package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.MerkleTree;

/** The fast way to a field's hash gives the bytes the RFC 8785 canonicalizer gives, whatever the value. */
class SaltedFieldsTest {

    private static final byte[] SALT = Arrays.copyOf("a version salt".getBytes(StandardCharsets.UTF_8), 32);

    @ParameterizedTest
    @ValueSource(strings = {"", "123-45-6789", "Ada \"the\" Homeowner", "back\\slash", "Zoë Ångström",
        "日本語の名前", "emoji 😀 pair", "tab\there", "line\nbreak", "bell\u0007", "del\u007f", "lone \ud800 half",
        "{\"not\": \"an object\"}", "</script>", "€ 1,944.35"})
    void aStringValueHashesAsItsCanonicalCommitment(String value) {
        JsonNode text = Json.MAPPER.getNodeFactory().textNode(value);
        byte[] canonical = CanonicalJson.bytes(SaltedFields.fieldCommitment(SALT, "field", text));

        assertArrayEquals(MerkleTree.leafHash(canonical), SaltedFields.fieldHash(SALT, "field", text), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"712", "6.125", "1e3", "true", "null", "{\"amount\": \"1.00\", \"currency\": \"USD\"}",
        "[1, \"two\"]"})
    void otherValuesHashAsTheirCanonicalCommitment(String json) {
        JsonNode value = Json.parse(json);

        assertArrayEquals(LedgerHashing.hash(SaltedFields.fieldCommitment(SALT, "field", value)),
                SaltedFields.fieldHash(SALT, "field", value), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"taxId", "fullName"})
    void eachFieldHasItsOwnSalt(String field) {
        assertFalse(Arrays.equals(SaltedFields.fieldSalt(SALT, field), SaltedFields.fieldSalt(SALT, field + "x")));
        assertEquals(32, SaltedFields.fieldSalt(SALT, field).length);
    }
}
