package org.meshledger.ledger.json;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON value: the same value gives the same bytes
 * on every node, whatever key order or number spelling it arrived with. Every ledger hash is a hash
 * of these bytes.
 */
public final class CanonicalJson {

    /** A plain writer, so that nothing configured for the API can change what is hashed. */
    private static final ObjectMapper WRITER = new ObjectMapper();

    private CanonicalJson() {
    }

    private static String json(JsonNode value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(JsonNode value) {
        try {
            return new JsonCanonicalizer(json(value)).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot canonicalize JSON", e);
        }
    }

    public static String text(JsonNode value) {
        try {
            return new JsonCanonicalizer(json(value)).getEncodedString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot canonicalize JSON", e);
        }
    }
}
