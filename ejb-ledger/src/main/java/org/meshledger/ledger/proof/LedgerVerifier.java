package org.meshledger.ledger.proof;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.block.LedgerTree;
import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.StateMismatch;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * Full verification: recomputes, from the stored data alone, every record version's hash, every
 * transaction's hash, every block's Merkle root, header hash and chain link, and the ledger root at
 * every height; checks every column a read serves that is not itself hashed against the hashed
 * content it must agree with ({@link StoredColumns}); holds every purged field against the purge
 * transaction that erased it ({@link PurgeErasures}); and checks the current state against the
 * latest versions, column by column. It stops at the first thing that does not match and says what
 * and where.
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
        Progress progress = new Progress(new PurgeErasures(store.purgeTransactions()));
        try {
            store.forEachBlock(block -> {
                checkBlock(block, progress);
                blockChecked.accept(block.height());
            });
        } catch (Broken broken) {
            return progress.report(broken.problem);
        }
        Map.Entry<UUID, Long> outside = progress.erasures.firstUnconfirmed();
        if (outside != null) {
            return progress.report(new VerificationReport.Problem("transaction", outside.getValue(),
                    "transaction " + outside.getKey(), "transaction " + outside.getKey()
                            + " records a purge but is in no block of the chain"));
        }
        List<StateMismatch> mismatches = store.currentStateMismatches(1);
        if (!mismatches.isEmpty()) {
            return progress.report(currentStateProblem(mismatches.get(0)));
        }
        return progress.report(null);
    }

    /** What a current row that is not its record's latest version is reported as, naming the columns. */
    private static VerificationReport.Problem currentStateProblem(StateMismatch mismatch) {
        RecordKey key = mismatch.key();
        String message;
        if (mismatch.noCurrentRow()) {
            message = key + " has recorded versions but no current state";
        } else if (mismatch.noVersions()) {
            message = "the current state of " + key + " has no recorded version";
        } else {
            message = "the current state of " + key + " is not its latest recorded version: "
                    + String.join(", ", mismatch.columns()) + " differ" + (mismatch.columns().size() == 1 ? "s" : "");
        }
        return new VerificationReport.Problem("current-state", 0, key.toString(), message);
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
        Map<String, RecordVersionRow> previous = new HashMap<>();
        for (RecordVersionRow p : store.previousVersionsOfBlock(height)) {
            previous.put(p.type() + "/" + p.id() + "/" + (p.version() + 1), p);
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
            checkTransactionColumns(tx, content, block);
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
                        || !ref.path("hash").asText().equals(expected)) {
                    throw broken("record-version", height, versionSubject, versionSubject + " in block " + height
                            + " does not match its hash");
                }
                checkVersionColumns(row, previous.get(key), tx, StoredColumns.purges(content, i), block);
                checkPurged(row, progress.erasures, height);
                referenced.add(key);
                progress.versions++;
                if (row.purged() != null) {
                    progress.purged++;
                }
            }
            if (content.has("purges") && !progress.erasures.confirm(tx, content)) {
                throw broken("transaction", height, subject, subject + " in block " + height
                        + ": the purges it records differ from those read before the walk");
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
        // The order range is what the header says: it is held by the block's hash like every other field.
        JsonNode header = LedgerHashing.blockHeader(network, height, progress.previousHash, merkleRoot, txs.size(),
                block.blockTime(), Json.parse(block.header()).path("order"));
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

    /**
     * The columns of a transaction kept beside its hashed content say what it says, and it was
     * recorded at its block's (hashed) time.
     */
    private static void checkTransactionColumns(TransactionRow tx, JsonNode content, BlockRow block) {
        Optional<String> column = StoredColumns.differingTransactionColumn(tx, content);
        if (column.isEmpty() && tx.blockHeight() != block.height()) {
            column = Optional.of("block_height");
        } else if (column.isEmpty() && !tx.recordedAt().equals(block.blockTime())) {
            column = Optional.of("recorded_at");
        }
        if (column.isPresent()) {
            String subject = "transaction " + tx.txId();
            throw broken("transaction", block.height(), subject, subject + " in block " + block.height() + ": its "
                    + column.get() + " column differs from its hashed content");
        }
    }

    /**
     * The columns of a version that its hash does not cover, checked against what does: the
     * transaction that wrote it, its block (height and hashed time) and the operation that its
     * hashed content, its transaction's hashed purges and the (verified) version before it allow.
     */
    private static void checkVersionColumns(RecordVersionRow row, RecordVersionRow previous, TransactionRow tx,
            boolean purgedByIt, BlockRow block) {
        String subject = "record version " + row.type() + "/" + row.id() + "/" + row.version();
        String column = !tx.txId().equals(row.txId()) ? "tx_id"
                : row.blockHeight() != block.height() ? "block_height"
                : !row.recordedAt().equals(block.blockTime()) ? "recorded_at"
                : !StoredColumns.operationFits(row, previous, purgedByIt) ? "operation" : null;
        if (column != null) {
            throw broken("record-version", block.height(), subject, subject + " in block " + block.height() + ": its "
                    + column + " column differs from its hashed content");
        }
    }

    /**
     * A version's purged fields are exactly those that purges later in the chain erased from it: a
     * purged hash without such a purge is a value removed behind the ledger's back, a value where
     * such a purge erased it one brought back. (That each purged hash is the right one, the
     * version's hash already shows: it is recomputed with them in place of the values.)
     */
    private static void checkPurged(RecordVersionRow row, PurgeErasures erasures, long height) {
        if (row.purged() == null && !erasures.purgedAnyVersionOf(row.key())) {
            return;
        }
        String subject = "record version " + row.type() + "/" + row.id() + "/" + row.version();
        Set<String> purged = PurgeErasures.fieldNames(row.purged());
        Set<String> both = new TreeSet<>(purged);
        both.retainAll(PurgeErasures.fieldNames(row.state()));
        if (!both.isEmpty()) {
            throw broken("record-version", height, subject, subject + " has purged fields " + both
                    + " that still hold values");
        }
        Set<String> erased = erasures.erasedFrom(row);
        Set<String> unjustified = new TreeSet<>(purged);
        unjustified.removeAll(erased);
        if (!unjustified.isEmpty()) {
            throw broken("record-version", height, subject, subject + " has purged fields " + unjustified
                    + " that no purge transaction erased");
        }
        erased.removeAll(purged);
        if (!erased.isEmpty()) {
            throw broken("record-version", height, subject, subject + " holds fields " + erased
                    + " that a later purge transaction erased");
        }
    }

    private static Broken broken(String kind, long height, String subject, String message) {
        return new Broken(new VerificationReport.Problem(kind, height, subject, message));
    }

    private static final class Progress {
        final LedgerTree tree = new LedgerTree();
        final PurgeErasures erasures;
        byte[] previousHash = LedgerHashing.genesisHash();
        long blocks;
        long transactions;
        long versions;
        long purged;

        Progress(PurgeErasures erasures) {
            this.erasures = erasures;
        }

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
