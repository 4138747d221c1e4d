package org.meshledger.ledger.block;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.PublicOperation;
import org.meshledger.ledger.transaction.PublicTransaction;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.Rejection;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.VersionRef;
import org.meshledger.persistence.ledger.RecordVersionRow;

/**
 * What exactly is hashed, in one place, for the node that writes and for everyone who verifies:
 * each hash is the RFC 6962 leaf hash ({@code SHA-256(0x00 || bytes)}) of the RFC 8785 canonical JSON
 * of a content object. A record version's content holds its fields' salted hashes; a transaction's
 * holds its principal, outcome, salted commitments to its operations and the hashes of the versions it
 * wrote; a block header holds the previous block's hash and the Merkle root of its transactions.
 */
public final class LedgerHashing {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private LedgerHashing() {
    }

    /**
     * A record version as hashed: who and what it is, what its owner shared of it, and its fields by
     * their salted hashes only ({@link SaltedFields}); none for a deletion.
     */
    public static ObjectNode versionContent(String type, String id, int version, Instant validFrom, String owner,
            RecordAccess access, ObjectNode fieldHashes, boolean deleted) {
        ObjectNode content = Json.object();
        content.put("type", type);
        content.put("id", id);
        content.put("version", version);
        content.put("validFrom", time(validFrom));
        content.put("owner", owner);
        content.set("access", access.isEmpty() ? Json.object() : access.toJson());
        content.put("deleted", deleted);
        content.set("fields", fieldHashes);
        return content;
    }

    /**
     * A stored record version as hashed: its fields' salted hashes from its state and salts, and for
     * the fields purged from it or withheld from this node, the hashes kept in their place.
     */
    public static ObjectNode versionContent(RecordVersionRow row) {
        ObjectNode fields = SaltedFields.fieldHashes(row.state() == null ? null : Json.parse(row.state()),
                SaltedFields.salts(row));
        for (String kept : new String[] {row.purged(), row.withheld()}) {
            if (kept != null) {
                Json.parse(kept).fields().forEachRemaining(f -> fields.set(f.getKey(), f.getValue()));
            }
        }
        return versionContent(row.type(), row.id(), row.version(), row.validFrom(), row.ownerParty(),
                RecordAccess.stored(row.access()), fields, row.deleted());
    }

    /** A record version as hashed, from its state and salt. */
    public static ObjectNode versionContent(String type, String id, int version, JsonNode state, Instant validFrom,
            String owner, RecordAccess access, byte[] salt) {
        return versionContent(type, id, version, validFrom, owner, access, SaltedFields.fieldHashes(state, salt),
                state == null);
    }

    /**
     * A transaction as hashed: its principal and outcome, a salted commitment to each operation (the
     * operations' values are in the versions it wrote, hashed field by field) and the hashes of those
     * versions, in order. It names no record, so showing it in a proof shows nothing of the others.
     */
    public static ObjectNode transactionContent(Submission submission, Instant recordedAt, String status,
            Rejection rejection, List<VersionRef> versions) {
        List<Operation> ops = submission.request().operations();
        List<String> commitments = new java.util.ArrayList<>();
        List<JsonNode> purgeBodies = new java.util.ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            ObjectNode commitment = Json.object();
            commitment.put("salt", base64(SaltedFields.operationSalt(submission.seed(), i)));
            commitment.set("operation", operation(ops.get(i)));
            commitments.add(base64(hash(commitment)));
            purgeBodies.add(ops.get(i).kind() == OperationKind.PURGE ? ops.get(i).body() : null);
        }
        TransactionRequest request = submission.request();
        return transactionContent(submission.txId(), submission.principal().party().value(),
                submission.principal().kind().name().toLowerCase(), submission.principal().name(),
                request.idempotencyKey(), request.source(), request.validFrom(), recordedAt, commitments, purgeBodies,
                status, rejection, versions);
    }

    /**
     * A transaction of a network of nodes as hashed: the same content as {@link #transactionContent(
     * Submission, Instant, String, Rejection, List)} gives, from its public part (the commitments to
     * its operations were made by its node, with salts no other node knows).
     */
    public static ObjectNode transactionContent(PublicTransaction tx, Instant recordedAt, String status,
            Rejection rejection, List<VersionRef> versions) {
        List<String> commitments = new java.util.ArrayList<>();
        List<JsonNode> purgeBodies = new java.util.ArrayList<>();
        for (PublicOperation op : tx.operations()) {
            commitments.add(op.commitment());
            purgeBodies.add(op.kind() == OperationKind.PURGE ? op.purge() : null);
        }
        return transactionContent(tx.txId(), tx.party().value(), tx.principalKind().name().toLowerCase(),
                tx.principalName(), tx.idempotencyKey(), tx.source(), tx.validFrom(), recordedAt, commitments,
                purgeBodies, status, rejection, versions);
    }

    private static ObjectNode transactionContent(java.util.UUID txId, String party, String principalKind,
            String principalName, String idempotencyKey, org.meshledger.ledger.transaction.SourceReference source,
            Instant validFrom, Instant recordedAt, List<String> commitments, List<JsonNode> purgeBodies, String status,
            Rejection rejection, List<VersionRef> versions) {
        ObjectNode content = Json.object();
        content.put("txId", txId.toString());
        content.put("party", party);
        ObjectNode principal = content.putObject("principal");
        principal.put("kind", principalKind);
        principal.put("name", principalName);
        content.put("idempotencyKey", idempotencyKey);
        if (source != null) {
            ObjectNode sourceNode = content.putObject("source");
            sourceNode.put("system", source.system());
            sourceNode.put("reference", source.reference());
        } else {
            content.putNull("source");
        }
        content.put("validFrom", validFrom == null ? null : time(validFrom));
        content.put("recordedAt", time(recordedAt));
        ArrayNode operations = content.putArray("operations");
        commitments.forEach(operations::add);
        // A purge says on the ledger, in the clear, what was erased and why (field names, no values).
        ArrayNode purges = Json.MAPPER.createArrayNode();
        for (int i = 0; i < purgeBodies.size(); i++) {
            if (purgeBodies.get(i) != null) {
                ObjectNode purge = purges.addObject();
                purge.put("operation", i);
                purge.set("fields", purgeBodies.get(i).path("fields"));
                purge.set("reason", purgeBodies.get(i).path("reason"));
            }
        }
        if (!purges.isEmpty()) {
            content.set("purges", purges);
        }
        content.put("status", status);
        if (rejection == null) {
            content.putNull("rejection");
        } else {
            ObjectNode reason = content.putObject("rejection");
            reason.put("code", rejection.code().name());
            reason.put("message", rejection.message());
            reason.put("operation", rejection.operation());
            reason.put("rule", rejection.rule());
        }
        ArrayNode written = content.putArray("versions");
        for (VersionRef v : versions) {
            written.add(v.hash());
        }
        return content;
    }

    /**
     * A transaction the node's database refused to store ({@code STORAGE_REFUSED}), as hashed and
     * stored in its place: its content as {@link #transactionContent} has it for a rejected
     * transaction, less every value it brought that the database might refuse again: its idempotency
     * key and source only if {@linkplain #storable plainly storable} (else null), no {@code validFrom}
     * and no purge reasons. Its operations stay as salted commitments (hashes only). Decided by the
     * ordered input alone, so every node hashes the same content.
     */
    public static ObjectNode storageRefusedContent(Submission submission, Instant recordedAt, Rejection rejection) {
        ObjectNode content = transactionContent(submission, recordedAt, "rejected", rejection, List.of());
        content.put("idempotencyKey", storable(submission.request().idempotencyKey()));
        if (storableSource(submission) == null) {
            content.putNull("source");
        }
        content.putNull("validFrom");
        content.remove("purges");
        return content;
    }

    /** The longest text (in UTF-8 bytes) a refused transaction keeps: well below what an index entry holds. */
    private static final int STORABLE_BYTES = 1000;

    /**
     * A text as a refused transaction keeps it: itself if PostgreSQL can surely store and index it
     * (no NUL character, no unpaired surrogate, at most 1000 bytes in UTF-8), else null.
     */
    static String storable(String text) {
        if (text == null || text.indexOf('\u0000') >= 0
                || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > STORABLE_BYTES) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return null;
            }
        }
        return text;
    }

    /** The source a refused transaction keeps: its own if both its parts are storable, else null. */
    static org.meshledger.ledger.transaction.SourceReference storableSource(Submission submission) {
        org.meshledger.ledger.transaction.SourceReference source = submission.request().source();
        return source == null || storable(source.system()) == null || storable(source.reference()) == null ? null
                : source;
    }

    /** The versions a transaction wrote, as kept beside it (its content has their hashes only). */
    public static ArrayNode versionRefs(List<VersionRef> versions) {
        ArrayNode refs = Json.MAPPER.createArrayNode();
        for (VersionRef v : versions) {
            ObjectNode ref = refs.addObject();
            ref.put("type", v.type());
            ref.put("id", v.id());
            ref.put("version", v.version());
            ref.put("hash", v.hash());
        }
        return refs;
    }

    /** An operation as transactions and the API spell it. */
    public static ObjectNode operation(Operation op) {
        ObjectNode node = Json.object();
        node.put("op", op.kind().keyword());
        node.put("type", op.type());
        node.put("id", op.id());
        if (op.expectedVersion() != null) {
            node.put("expectedVersion", op.expectedVersion());
        }
        switch (op.kind()) {
            case CREATE, PUT -> node.set("data", op.body());
            case UPDATE -> node.set("patch", op.body());
            case DELETE -> { }
            case GRANT, REVOKE -> node.set("access", op.body());
            case PURGE -> node.set("purge", op.body());
        }
        return node;
    }

    public static ObjectNode blockHeader(String network, long height, byte[] previousHash, byte[] merkleRoot,
            int txCount, Instant time) {
        return blockHeader(network, height, previousHash, merkleRoot, txCount, time, null);
    }

    /**
     * A block header; in a network of nodes it also records the range of the order log its
     * transactions came from ({@code order}: {@code {"firstOffset", "lastOffset"}}), so that anyone
     * can tell which records of the log made which block.
     */
    public static ObjectNode blockHeader(String network, long height, byte[] previousHash, byte[] merkleRoot,
            int txCount, Instant time, JsonNode order) {
        ObjectNode header = Json.object();
        if (order != null && !order.isMissingNode() && !order.isNull()) {
            header.set("order", order);
        }
        header.put("network", network);
        header.put("height", height);
        header.put("previousHash", base64(previousHash));
        header.put("merkleRoot", base64(merkleRoot));
        header.put("txCount", txCount);
        header.put("time", time(time));
        return header;
    }

    /** The order log range of a block, as its header records it. */
    public static ObjectNode orderRange(long firstOffset, long lastOffset) {
        ObjectNode order = Json.object();
        order.put("firstOffset", firstOffset);
        order.put("lastOffset", lastOffset);
        return order;
    }

    /** The hash of any content object above. */
    public static byte[] hash(JsonNode content) {
        return MerkleTree.leafHash(CanonicalJson.bytes(content));
    }

    /** Times in hashed content: ISO 8601 UTC, to the microsecond (what PostgreSQL keeps). */
    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    public static String base64(byte[] bytes) {
        return BASE64.encodeToString(bytes);
    }

    /** The previous hash of the first block. */
    public static byte[] genesisHash() {
        return new byte[32];
    }
}
