package org.meshledger.ledger.json;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON value: the same value gives the same bytes
 * on every node, whatever key order or number spelling it arrived with. Every ledger hash is a hash
 * of these bytes.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode value) {
        try {
            return new JsonCanonicalizer(Json.write(value)).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot canonicalize JSON", e);
        }
    }

    public static String text(JsonNode value) {
        try {
            return new JsonCanonicalizer(Json.write(value)).getEncodedString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot canonicalize JSON", e);
        }
    }
}
