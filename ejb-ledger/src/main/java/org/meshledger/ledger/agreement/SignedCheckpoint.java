package org.meshledger.ledger.agreement;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.Ed25519;

/**
 * A checkpoint with its node's Ed25519 signature: a statement anyone holding the network file can
 * check, and hold against the node that signed it.
 */
public record SignedCheckpoint(Checkpoint checkpoint, byte[] signature) {

    private static final int MAX_BYTES = 4096;

    public boolean verifiedBy(PublicKey key) {
        return Ed25519.verify(key, checkpoint.signedBytes(), signature);
    }

    public ObjectNode toJson() {
        ObjectNode json = checkpoint.toJson();
        json.put("signature", Base64.getEncoder().encodeToString(signature));
        return json;
    }

    public byte[] encode() {
        return CanonicalJson.bytes(toJson());
    }

    /**
     * Reads a signed checkpoint from the checkpoints topic: bounded, and kept only if its node's key
     * (as the network file gives it) verifies it; anything else is empty.
     */
    public static Optional<SignedCheckpoint> decode(byte[] bytes, String network, Function<String, PublicKey> keys) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
            String node = json.path("node").asText("");
            PublicKey key = keys.apply(node);
            if (key == null || !network.equals(json.path("network").asText()) || !json.path("height").canConvertToLong()
                    || json.path("height").asLong() < 1) {
                return Optional.empty();
            }
            Checkpoint checkpoint = new Checkpoint(network, node, json.path("height").asLong(),
                    text(json, "blockHash"), text(json, "stateHash"), text(json, "ledgerRoot"));
            SignedCheckpoint signed = new SignedCheckpoint(checkpoint,
                    Base64.getDecoder().decode(json.path("signature").asText("")));
            return signed.verifiedBy(key) ? Optional.of(signed) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode json, String field) {
        String value = json.path(field).asText("");
        if (value.length() != 44) {
            throw new IllegalArgumentException(field + " is not a base64 SHA-256 hash");
        }
        Base64.getDecoder().decode(value);
        return value;
    }
}
