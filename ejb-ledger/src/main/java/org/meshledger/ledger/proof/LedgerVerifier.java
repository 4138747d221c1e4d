package org.meshledger.ledger.proof;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.block.LedgerTree;
import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * Full verification: recomputes, from the stored data alone, every record version's hash, every
 * transaction's hash, every block's Merkle root, header hash and chain link, and the ledger root at
 * every height, and checks the current state against the latest versions. It stops at the first
 * thing that does not match and says what and where.
 */
public final class LedgerVerifier {

    private final String network;
    private final LedgerStore store;

    public LedgerVerifier(String network, LedgerStore store) {
        this.network = network;
        this.store = store;
    }

    public VerificationReport verify() throws SQLException {
        return verify(height -> { });
    }

    /** Verifies, telling {@code blockChecked} the height of each block once it is checked. */
    public VerificationReport verify(java.util.function.LongConsumer blockChecked) throws SQLException {
        Progress progress = new Progress();
        try {
            store.forEachBlock(block -> {
                checkBlock(block, progress);
                blockChecked.accept(block.height());
            });
        } catch (Broken broken) {
            return progress.report(broken.problem);
        }
        List<RecordKey> mismatches = store.currentStateMismatches(1);
        if (!mismatches.isEmpty()) {
            return progress.report(new VerificationReport.Problem("current-state", 0, mismatches.get(0).toString(),
                    "the current state of " + mismatches.get(0) + " is not its latest recorded version"));
        }
        return progress.report(null);
    }

    private void checkBlock(BlockRow block, Progress progress) throws SQLException {
        long height = block.height();
        if (height != progress.tree.size() + 1) {
            throw broken("block", height, "block " + (progress.tree.size() + 1), "block " + (progress.tree.size() + 1)
                    + " is missing");
        }
        List<TransactionRow> txs = store.transactionsOfBlock(height);
        Map<String, RecordVersionRow> versions = new HashMap<>();
        for (RecordVersionRow v : store.versionsOfBlock(height)) {
            versions.put(v.type() + "/" + v.id() + "/" + v.version(), v);
        }
        Set<String> referenced = new HashSet<>();
        List<byte[]> leaves = new ArrayList<>();
        for (int position = 0; position < txs.size(); position++) {
            TransactionRow tx = txs.get(position);
            String subject = "transaction " + tx.txId();
            if (tx.position() != position) {
                throw broken("transaction", height, subject, "block " + height + " has no transaction at position "
                        + position);
            }
            JsonNode content = Json.parse(tx.content());
            byte[] hash = LedgerHashing.hash(content);
            if (!Arrays.equals(hash, tx.hash())) {
                throw broken("transaction", height, subject, subject + " in block " + height
                        + " does not match its hash");
            }
            if (!content.path("txId").asText().equals(tx.txId().toString())
                    || !content.path("party").asText().equals(tx.party())
                    || !content.path("status").asText().equals(tx.status())) {
                throw broken("transaction", height, subject, subject + " in block " + height
                        + ": its columns differ from its hashed content");
            }
            JsonNode refs = Json.parse(tx.versions());
            JsonNode hashed = content.path("versions");
            if (refs.size() != hashed.size()) {
                throw broken("transaction", height, subject, subject + " in block " + height
                        + ": the versions it lists differ from its hashed content");
            }
            for (int i = 0; i < refs.size(); i++) {
                JsonNode ref = refs.get(i);
                String key = ref.path("type").asText() + "/" + ref.path("id").asText() + "/" + ref.path("version").asInt();
                RecordVersionRow row = versions.get(key);
                String versionSubject = "record version " + key;
                if (row == null) {
                    throw broken("record-version", height, versionSubject, versionSubject + " written by " + subject
                            + " is missing");
                }
                byte[] versionHash = LedgerHashing.hash(LedgerHashing.versionContent(row));
                String expected = LedgerHashing.base64(versionHash);
                if (!Arrays.equals(versionHash, row.hash()) || !hashed.get(i).asText().equals(expected)
                        || !ref.path("hash").asText().equals(expected) || !tx.txId().equals(row.txId())) {
                    throw broken("record-version", height, versionSubject, versionSubject + " in block " + height
                            + " does not match its hash");
                }
                referenced.add(key);
                progress.versions++;
                if (row.purged() != null) {
                    progress.purged++;
                }
            }
            leaves.add(hash);
            progress.transactions++;
        }
        for (String key : versions.keySet()) {
            if (!referenced.contains(key)) {
                throw broken("record-version", height, "record version " + key, "record version " + key
                        + " in block " + height + " was written by no transaction of it");
            }
        }
        byte[] merkleRoot = org.meshledger.ledger.proof.MerkleTree.root(leaves);
        JsonNode header = LedgerHashing.blockHeader(network, height, progress.previousHash, merkleRoot, txs.size(),
                block.blockTime());
        byte[] blockHash = LedgerHashing.hash(header);
        if (!Arrays.equals(merkleRoot, block.merkleRoot()) || block.txCount() != txs.size()) {
            throw broken("block", height, "block " + height, "block " + height
                    + ": its transactions do not give its Merkle root");
        }
        if (!Arrays.equals(progress.previousHash, block.previousHash())) {
            throw broken("block", height, "block " + height, "block " + height
                    + " does not link to the hash of block " + (height - 1));
        }
        if (!Arrays.equals(blockHash, block.hash())
                || !Arrays.equals(CanonicalJson.bytes(header), CanonicalJson.bytes(Json.parse(block.header())))) {
            throw broken("block", height, "block " + height, "block " + height + " does not match its hash");
        }
        progress.tree.append(blockHash);
        if (!Arrays.equals(progress.tree.root(), block.ledgerRoot())) {
            throw broken("block", height, "block " + height, "the ledger root at height " + height + " is wrong");
        }
        progress.previousHash = blockHash;
        progress.blocks++;
    }

    private static Broken broken(String kind, long height, String subject, String message) {
        return new Broken(new VerificationReport.Problem(kind, height, subject, message));
    }

    private static final class Progress {
        final LedgerTree tree = new LedgerTree();
        byte[] previousHash = LedgerHashing.genesisHash();
        long blocks;
        long transactions;
        long versions;
        long purged;

        VerificationReport report(VerificationReport.Problem problem) {
            return new VerificationReport(problem == null, blocks, transactions, versions, purged, problem);
        }
    }

    /** Stops the walk at the first problem. */
    private static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient VerificationReport.Problem problem;

        Broken(VerificationReport.Problem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }
}
