package org.meshledger.ledger.agreement;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;

/**
 * What a node states after committing a block: at this height its block has this hash, its block
 * wrote these state changes (the hash of its versions' references) and its ledger has this root.
 * Every node that applied the same order states the same, whatever values it holds.
 *
 * @param blockHash base64
 * @param stateHash base64 hash of the block's state changes ({@code [{type, id, version, hash}]})
 * @param ledgerRoot base64 RFC 6962 root over the hashes of blocks 1..height
 */
public record Checkpoint(String network, String node, long height, String blockHash, String stateHash,
        String ledgerRoot) {

    private static final byte[] DOMAIN = "meshledger-checkpoint-v1\u0000".getBytes(StandardCharsets.US_ASCII);

    /** Whether two checkpoints state the same ledger at the same height (their nodes may differ). */
    public boolean agreesWith(Checkpoint other) {
        return network.equals(other.network) && height == other.height && blockHash.equals(other.blockHash)
                && stateHash.equals(other.stateHash) && ledgerRoot.equals(other.ledgerRoot);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("network", network);
        json.put("node", node);
        json.put("height", height);
        json.put("blockHash", blockHash);
        json.put("stateHash", stateHash);
        json.put("ledgerRoot", ledgerRoot);
        return json;
    }

    /** The bytes a node signs: a domain label, then the canonical JSON of the checkpoint. */
    public byte[] signedBytes() {
        byte[] body = CanonicalJson.bytes(toJson());
        byte[] bytes = new byte[DOMAIN.length + body.length];
        System.arraycopy(DOMAIN, 0, bytes, 0, DOMAIN.length);
        System.arraycopy(body, 0, bytes, DOMAIN.length, body.length);
        return bytes;
    }
}
