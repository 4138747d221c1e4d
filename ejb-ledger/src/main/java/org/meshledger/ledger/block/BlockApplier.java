package org.meshledger.ledger.block;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.Rejection;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.SourceReference;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.ledger.transaction.VersionRef;
import org.meshledger.persistence.ledger.BlockExistsException;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.BlockWrite;
import org.meshledger.persistence.ledger.CommitOutcomeUnknownException;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.PurgeWrite;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * Applies an ordered block: every transaction in order against the records as the previous ones
 * left them, rejected ones recorded with their reason; then the block's Merkle root, header, hash
 * and the ledger's new root ({@link #prepare}); then all of it, with the record versions, the
 * current state and the block's outbox entry (its versions are its events), written in one database
 * transaction ({@link #write}). Given the same ledger and the same ordered block, every node
 * computes the same hashes.
 *
 * <p>A transaction whose values the database refuses to store (a NUL character, a text too large
 * for an index) does not sink its block: {@link #writeIsolating} records it as rejected
 * ({@code STORAGE_REFUSED}) and writes the others. Its hashed content is then that rejection, without
 * the refused values ({@link LedgerHashing#storageRefusedContent}): every node, on the same
 * PostgreSQL, meets the same refusal and so hashes the same block.
 *
 * <p>Threads: one thread may prepare while another writes (ordering's cutter and writer); blocks are
 * written, and {@link #writeIsolating}, {@link #resolve} and {@link #catchUp} run, on one thread at a
 * time. A failure to read or write is an {@link SQLException}; nothing half-written stays behind.
 */
public final class BlockApplier {

    /** What a transaction the node's database refused is recorded with: no SQL, no value of it. */
    static final Rejection STORAGE_REFUSED = new Rejection(RejectionCode.STORAGE_REFUSED,
            "the node's database cannot store this transaction's values", -1);

    private final NetworkDefinition network;
    private final LedgerStore store;
    private final TransactionExecution execution;

    public BlockApplier(NetworkDefinition network, AccessPolicy policy, LedgerStore store) {
        this.network = network;
        this.store = store;
        this.execution = new TransactionExecution(network.schema(), policy);
    }

    /**
     * Applies and writes a block on the committed chain.
     *
     * @param accepted told the outcome of each new transaction once its place in the block is fixed,
     *        before the block is written
     * @return what became of every submission, in order (a repeat of an earlier idempotency key
     *         gets the earlier outcome and writes nothing)
     * @throws SQLException if the block could not be written: then nothing of it was, and the chain
     *         state is unchanged
     */
    public List<AppliedTransaction> apply(ProposedBlock block, ChainState chain, Consumer<AppliedTransaction> accepted)
            throws SQLException {
        PreparedBlock prepared = prepare(block, chain.tip(), new UncommittedStates(), accepted);
        write(prepared, chain);
        return prepared.results();
    }

    /**
     * Applies a block on top of {@code tip}: every transaction in order, against the records as
     * {@code uncommitted} (blocks prepared but not yet written) or else the database has them.
     * Records what the block leaves in {@code uncommitted}; writes nothing.
     */
    public PreparedBlock prepare(ProposedBlock block, ChainTip tip, UncommittedStates uncommitted,
            Consumer<AppliedTransaction> accepted) throws SQLException {
        return prepare(block, tip, uncommitted, Set.of(), accepted);
    }

    /**
     * As {@link #prepare(ProposedBlock, ChainTip, UncommittedStates, Consumer)}, with the
     * transactions in {@code storageRefused} recorded as rejected ({@link RejectionCode#STORAGE_REFUSED}),
     * in the form {@link LedgerHashing#storageRefusedContent} gives, without being applied.
     */
    PreparedBlock prepare(ProposedBlock block, ChainTip tip, UncommittedStates uncommitted, Set<UUID> storageRefused,
            Consumer<AppliedTransaction> accepted) throws SQLException {
        long height = tip.height() + 1;
        // A block's time never goes back, whatever the clock does.
        Instant time = block.time().isAfter(tip.lastTime()) ? block.time() : tip.lastTime();
        List<AppliedTransaction> results = new ArrayList<>();
        List<Submission> fresh = new ArrayList<>();
        Map<String, AppliedTransaction> earlier = earlierOutcomes(block);
        Map<String, Submission> firstInBlock = new HashMap<>();
        for (Submission submission : block.submissions()) {
            String scope = submission.idempotencyScope();
            if (scope != null && earlier.containsKey(scope)) {
                results.add(new AppliedTransaction(submission, earlier.get(scope).outcome().asRepeat()));
            } else if (scope != null && firstInBlock.containsKey(scope)) {
                results.add(null); // filled with the first one's outcome below
            } else {
                if (scope != null) {
                    firstInBlock.put(scope, submission);
                }
                fresh.add(submission);
                results.add(null);
            }
        }
        if (fresh.isEmpty()) {
            return new PreparedBlock(null, tip, results);
        }

        Map<RecordKey, RecordState> states = loadStates(fresh, uncommitted);
        Set<RecordKey> touched = new HashSet<>();
        List<TransactionRow> txRows = new ArrayList<>();
        List<RecordVersionRow> versionRows = new ArrayList<>();
        List<PurgeWrite> purges = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        Map<UUID, TransactionOutcome> outcomes = new HashMap<>();
        for (int position = 0; position < fresh.size(); position++) {
            Submission submission = fresh.get(position);
            List<TransactionExecution.NewVersion> versions;
            Rejection rejection = null;
            boolean refused = storageRefused.contains(submission.txId());
            if (refused) {
                versions = List.of();
                rejection = STORAGE_REFUSED;
            } else {
                try {
                    versions = execution.execute(submission, key -> states.getOrDefault(key, RecordState.ABSENT));
                } catch (RejectedException e) {
                    versions = List.of();
                    rejection = e.rejection();
                }
            }
            Instant validFrom = TransactionExecution.validFrom(submission, time);
            List<VersionRef> refs = new ArrayList<>();
            for (TransactionExecution.NewVersion v : versions) {
                byte[] salt = SaltedFields.versionSalt(submission.seed(), v.key().type(), v.key().id(), v.version());
                byte[] hash = LedgerHashing.hash(LedgerHashing.versionContent(v.key().type(), v.key().id(), v.version(),
                        v.state(), validFrom, v.owner(), v.access(), salt));
                refs.add(new VersionRef(v.key().type(), v.key().id(), v.version(), LedgerHashing.base64(hash)));
                states.put(v.key(), new RecordState(v.version(), v.state(), v.owner(), v.access()));
                touched.add(v.key());
                if (!v.purged().isEmpty()) {
                    purges.add(new PurgeWrite(v.key(), v.purged(), v.version() - 1, BlockApplier::purgedHashes));
                }
                versionRows.add(new RecordVersionRow(v.key().type(), v.key().id(), v.version(),
                        v.operation().kind().keyword(), v.state() == null ? null : Json.write(v.state()), v.owner(),
                        hash, submission.txId(), height, time, validFrom, salt, v.access().stored()));
            }
            String status = rejection == null ? "committed" : "rejected";
            ObjectNode content = refused ? LedgerHashing.storageRefusedContent(submission, time, rejection)
                    : LedgerHashing.transactionContent(submission, time, status, rejection, refs);
            byte[] txHash = LedgerHashing.hash(content);
            leaves.add(txHash);
            txRows.add(refused ? storageRefusedRow(submission, height, position, rejection, time, content, txHash)
                    : transactionRow(submission, height, position, status, rejection, time, content, txHash, refs));
            TransactionOutcome outcome = new TransactionOutcome(submission.txId(),
                    rejection == null ? TransactionStatus.COMMITTED : TransactionStatus.REJECTED, height, position,
                    LedgerHashing.base64(txHash), time, List.copyOf(refs), rejection, false);
            outcomes.put(submission.txId(), outcome);
            accepted.accept(new AppliedTransaction(submission, new TransactionOutcome(submission.txId(),
                    TransactionStatus.ACCEPTED, height, position, null, time, List.of(), null, false)));
        }

        byte[] merkleRoot = MerkleTree.root(leaves);
        ObjectNode header = LedgerHashing.blockHeader(network.id(), height, tip.lastHash(), merkleRoot, fresh.size(),
                time);
        byte[] blockHash = LedgerHashing.hash(header);
        ChainTip next = tip.next(blockHash, time);
        BlockWrite write = new BlockWrite(new BlockRow(height, Json.write(header), tip.lastHash(), merkleRoot,
                fresh.size(), time, blockHash, next.tree().root()), txRows, versionRows, purges);
        for (RecordKey key : touched) {
            uncommitted.put(key, states.get(key), height);
        }

        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) == null) {
                Submission submission = block.submissions().get(i);
                Submission first = submission.idempotencyScope() == null ? submission
                        : firstInBlock.get(submission.idempotencyScope());
                TransactionOutcome outcome = outcomes.get(first.txId());
                results.set(i, new AppliedTransaction(submission, first == submission ? outcome : outcome.asRepeat()));
            }
        }
        return new PreparedBlock(write, next, results);
    }

    /**
     * Writes a prepared block in one database transaction and moves the committed chain to it.
     *
     * @throws SQLException if it could not be written: then nothing of it was, and the chain is unchanged
     */
    public void write(PreparedBlock prepared, ChainState chain) throws SQLException {
        if (prepared.writesNothing()) {
            return;
        }
        store.append(prepared.write());
        chain.advance(prepared.tip());
    }

    /**
     * Writes a block whose write the database refused for a value it holds
     * ({@link LedgerStore#refusesValues}): finds the transactions whose rows it refuses
     * ({@link LedgerStore#refusedTransactions}), applies the block again on the committed chain with
     * those recorded as rejected ({@link RejectionCode#STORAGE_REFUSED}), the others as they now
     * come out (one that built on a refused one may now be rejected in turn), and writes it and moves
     * the chain to it; again, if a transaction applied anew is refused in turn. The block keeps its
     * height, time and order, so every node that meets the same refusal writes the same block.
     *
     * <p>Called on the thread that writes blocks, with no other block written meanwhile;
     * {@code refused} must be the next block of the committed chain. Blocks prepared on top of it
     * no longer hold and must be prepared again.
     *
     * @param refused the block as first prepared, whose write failed with {@code refusal}
     * @return the block as written
     * @throws SQLException {@code refusal} if no transaction on its own is to blame, or one's
     *         recorded rejection is refused too (then nothing is written and the chain is unchanged);
     *         or the failure of a later write that is not a refusal of values
     */
    public PreparedBlock writeIsolating(ProposedBlock block, PreparedBlock refused, ChainState chain,
            SQLException refusal) throws SQLException {
        if (refused.writesNothing() || refused.height() != chain.height() + 1) {
            throw refusal;
        }
        Set<UUID> storageRefused = new HashSet<>();
        PreparedBlock attempt = refused;
        SQLException failure = refusal;
        for (int round = 0; round <= block.submissions().size(); round++) {
            List<UUID> found = store.refusedTransactions(attempt.write());
            if (found.isEmpty() || found.stream().anyMatch(storageRefused::contains)) {
                throw failure;
            }
            storageRefused.addAll(found);
            attempt = prepare(block, chain.tip(), new UncommittedStates(), storageRefused, accepted -> { });
            try {
                write(attempt, chain);
                return attempt;
            } catch (SQLException e) {
                if (!LedgerStore.refusesValues(e)) {
                    throw e;
                }
                failure = e;
            }
        }
        throw failure;
    }

    /**
     * Settles a write whose outcome is unknown ({@link CommitOutcomeUnknownException}) or that found
     * its height taken ({@link BlockExistsException}): moves the committed chain on to the ledger's
     * last block as the database has it ({@link #catchUp}), and tells whether {@code prepared} is the
     * block there at its height.
     *
     * @return true if {@code prepared} is committed (the chain now includes it); false if it is not
     *         (it must be prepared again on the chain as it now is)
     * @throws SQLException if the ledger cannot be read: the chain is unchanged
     */
    public boolean resolve(PreparedBlock prepared, ChainState chain) throws SQLException {
        catchUp(chain);
        if (prepared.writesNothing() || chain.height() < prepared.height()) {
            return false;
        }
        return store.block(prepared.height()).map(row -> Arrays.equals(row.hash(), prepared.tip().lastHash()))
                .orElse(false);
    }

    /**
     * Moves the committed chain on to the ledger's last block, one stored block at a time: those
     * committed without the chain learning of it (a commit that was not confirmed).
     *
     * @return whether the chain moved
     * @throws SQLException if the ledger cannot be read: the chain is where it was, or on a stored block
     * @throws IllegalStateException if the stored blocks do not continue the chain
     */
    public boolean catchUp(ChainState chain) throws SQLException {
        BlockRow last = store.lastBlock().orElse(null);
        boolean moved = false;
        while (last != null && chain.height() < last.height()) {
            long height = chain.height() + 1;
            BlockRow next = store.block(height).orElseThrow(() -> new IllegalStateException(
                    "The ledger has no block " + height + " below its last; run a full verification"));
            if (!Arrays.equals(next.previousHash(), chain.tip().lastHash())) {
                throw new IllegalStateException("Block " + height + " of the ledger does not follow the chain");
            }
            chain.advance(chain.tip().next(next.hash(), next.blockTime()));
            moved = true;
        }
        return moved;
    }

    /**
     * The {@code purged} column of a version once {@code fields} are erased from it: the salted hashes
     * of those it holds, with those purged from it before.
     */
    static String purgedHashes(RecordVersionRow version, Set<String> fields) {
        ObjectNode purged = version.purged() == null ? Json.object() : (ObjectNode) Json.parse(version.purged());
        if (version.state() != null) {
            JsonNode state = Json.parse(version.state());
            java.util.function.Function<String, byte[]> salts = SaltedFields.salts(version);
            for (String field : fields) {
                if (state.has(field)) {
                    purged.put(field, LedgerHashing.base64(SaltedFields.hashWithSalt(salts.apply(field), field,
                            state.get(field))));
                }
            }
        }
        return purged.isEmpty() ? null : Json.write(purged);
    }

    /** Outcomes already in the ledger for the block's idempotency keys, by scope, in one query. */
    private Map<String, AppliedTransaction> earlierOutcomes(ProposedBlock block) throws SQLException {
        Map<String, Set<String>> keys = new HashMap<>();
        Map<String, Submission> byScope = new HashMap<>();
        for (Submission submission : block.submissions()) {
            String scope = submission.idempotencyScope();
            if (scope != null) {
                keys.computeIfAbsent(submission.principal().party().value(), party -> new HashSet<>())
                        .add(submission.request().idempotencyKey());
                byScope.putIfAbsent(scope, submission);
            }
        }
        Map<String, AppliedTransaction> found = new HashMap<>();
        for (TransactionRow row : store.transactionsByIdempotencyKeys(keys)) {
            String scope = Submission.scope(row.party(), row.idempotencyKey());
            found.put(scope, new AppliedTransaction(byScope.get(scope), Outcomes.of(row)));
        }
        return found;
    }

    private Map<RecordKey, RecordState> loadStates(List<Submission> submissions, UncommittedStates uncommitted)
            throws SQLException {
        Map<RecordKey, RecordState> states = new HashMap<>();
        Set<RecordKey> keys = new LinkedHashSet<>();
        for (Submission submission : submissions) {
            for (Operation op : submission.request().operations()) {
                RecordKey key = new RecordKey(op.type(), op.id());
                // Looked up before the database: once an entry is gone, its block is committed.
                RecordState pending = uncommitted.get(key);
                if (pending != null) {
                    states.put(key, pending);
                } else {
                    keys.add(key);
                }
            }
        }
        store.current(keys).forEach((key, row) -> states.put(key, new RecordState(row.version(),
                row.deleted() ? null : Json.parse(row.state()), row.ownerParty(), RecordAccess.stored(row.access()))));
        return states;
    }

    /** A transaction the database refused, as recorded in its place: no value of it that may be refused again. */
    private static TransactionRow storageRefusedRow(Submission s, long height, int position, Rejection rejection,
            Instant time, JsonNode content, byte[] hash) {
        SourceReference source = LedgerHashing.storableSource(s);
        return new TransactionRow(s.txId(), height, position, s.principal().party().value(),
                s.principal().kind().name().toLowerCase(), s.principal().name(),
                LedgerHashing.storable(s.request().idempotencyKey()), "rejected", rejection.code().name(),
                rejection.message(), time, null, source == null ? null : source.system(),
                source == null ? null : source.reference(), Json.write(content), hash,
                Json.write(LedgerHashing.versionRefs(List.of())));
    }

    private static TransactionRow transactionRow(Submission s, long height, int position, String status,
            Rejection rejection, Instant time, JsonNode content, byte[] hash, List<VersionRef> refs) {
        return new TransactionRow(s.txId(), height, position, s.principal().party().value(),
                s.principal().kind().name().toLowerCase(), s.principal().name(), s.request().idempotencyKey(), status,
                rejection == null ? null : rejection.code().name(), rejection == null ? null : rejection.message(), time,
                s.request().validFrom(), s.request().source() == null ? null : s.request().source().system(),
                s.request().source() == null ? null : s.request().source().reference(), Json.write(content), hash,
                Json.write(LedgerHashing.versionRefs(refs)));
    }
}
