package org.meshledger.ledger.proof;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.block.SaltedFields;
import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/** Makes the ledger's signed digests and its inclusion and consistency proofs. */
public final class LedgerProofs {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final String network;
    private final LedgerStore store;
    private final NodeSigningKey key;

    public LedgerProofs(String network, LedgerStore store, NodeSigningKey key) {
        this.network = network;
        this.store = store;
        this.key = key;
    }

    /** The digest at a height, or at the last block for {@code null}. */
    public SignedDigest digest(Long height) throws SQLException {
        BlockRow block = (height == null ? store.lastBlock() : store.block(height))
                .orElseThrow(() -> new NotFoundException(height == null ? "The ledger has no block yet"
                        : "The ledger has no block at height " + height));
        return sign(block.height(), block.ledgerRoot(), LedgerHashing.time(block.blockTime()));
    }

    SignedDigest sign(long height, byte[] root, String time) {
        byte[] signature = key.sign(digestContent(network, height, BASE64.encodeToString(root), time));
        return new SignedDigest(network, height, BASE64.encodeToString(root), time, "Ed25519", key.publicKeyBase64(),
                BASE64.encodeToString(signature));
    }

    /** What a digest's signature covers: the canonical JSON of its four members. */
    public static byte[] digestContent(String network, long height, String root, String time) {
        return LedgerProofsContent.digest(network, height, root, time);
    }

    /**
     * Proof of a record version against the digest at {@code height} (the last block for null),
     * which must be at or after the version's block, disclosing every field.
     */
    public InclusionProof inclusion(RecordKey record, int version, Long height) throws SQLException {
        return inclusion(store.version(record, version)
                .orElseThrow(() -> new NotFoundException(record + " has no version " + version)), height, field -> true);
    }

    /**
     * Proof of a record version already read, disclosing the fields {@code disclose} accepts; the
     * others are in it as salted hashes only.
     */
    public InclusionProof inclusion(RecordVersionRow row, Long height, Predicate<String> disclose) throws SQLException {
        RecordKey record = row.key();
        int version = row.version();
        SignedDigest digest = digest(height);
        if (digest.height() < row.blockHeight()) {
            throw new NotFoundException(record + " version " + version + " is in block " + row.blockHeight()
                    + ", after height " + digest.height());
        }
        JsonNode state = row.state() == null ? null : Json.parse(row.state());
        JsonNode versionContent = LedgerHashing.versionContent(row);
        Map<String, String> disclosed = new TreeMap<>();
        if (state != null) {
            java.util.function.Function<String, byte[]> salts = SaltedFields.salts(row);
            state.fields().forEachRemaining(field -> {
                if (disclose.test(field.getKey())) {
                    disclosed.put(field.getKey(), CanonicalJson.text(
                            SaltedFields.commitment(salts.apply(field.getKey()), field.getKey(), field.getValue())));
                }
            });
        }
        InclusionProof.Part recordPart = new InclusionProof.Part(CanonicalJson.text(versionContent),
                BASE64.encodeToString(row.hash()), 0, 0, List.of());

        List<TransactionRow> txs = store.transactionsOfBlock(row.blockHeight());
        List<byte[]> txLeaves = new ArrayList<>();
        TransactionRow tx = null;
        for (TransactionRow t : txs) {
            txLeaves.add(t.hash());
            if (t.txId().equals(row.txId())) {
                tx = t;
            }
        }
        if (tx == null) {
            throw new IllegalStateException("The transaction of " + record + " v" + version + " is missing");
        }
        InclusionProof.Part txPart = new InclusionProof.Part(CanonicalJson.text(Json.parse(tx.content())),
                BASE64.encodeToString(tx.hash()), tx.position(), txLeaves.size(),
                encode(MerkleTree.inclusionProof(txLeaves, tx.position())));

        BlockRow block = store.block(row.blockHeight()).orElseThrow();
        List<byte[]> blockLeaves = store.blockHashes(digest.height());
        InclusionProof.Part blockPart = new InclusionProof.Part(CanonicalJson.text(Json.parse(block.header())),
                BASE64.encodeToString(block.hash()), block.height() - 1, blockLeaves.size(),
                encode(MerkleTree.inclusionProof(blockLeaves, (int) (block.height() - 1))));
        return new InclusionProof(InclusionProof.FORMAT, recordPart, disclosed, txPart, blockPart, digest);
    }

    public ConsistencyProof consistency(long from, long to) throws SQLException {
        if (from < 1 || to < from) {
            throw new NotFoundException("A consistency proof goes from a height to the same or a later one");
        }
        SignedDigest older = digest(from);
        SignedDigest newer = digest(to);
        List<byte[]> leaves = store.blockHashes(to);
        return new ConsistencyProof(ConsistencyProof.FORMAT, older, newer,
                encode(MerkleTree.consistencyProof(leaves, (int) from)));
    }

    private static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(BASE64::encodeToString).toList();
    }
}
