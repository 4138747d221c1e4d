package org.meshledger.ledger.block;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SchemaViolation;
import org.meshledger.ledger.transaction.PublicTransaction;
import org.meshledger.ledger.transaction.Rejection;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.ledger.transaction.VersionRef;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.BlockWrite;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.PurgeWrite;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;
import org.meshledger.persistence.network.OrderWrite;

/**
 * The apply step of a network of nodes: applies an ordered block of public transactions
 * ({@link PublicExecution}) and writes it in one database transaction, with the values of this
 * node's views where it has them and the salted hashes alone where it has none. Block, transaction
 * and version hashes depend on the public parts only, so every node of the network writes the same
 * hashes, whatever it may read.
 *
 * <p>A view is checked before its values are kept: each value must hash, with its salt, to the
 * commitment the public part shows, and a complete state must fit its type. A view that does not is
 * not kept (the node holds the hashes only, as for a record it may not read) and is reported as
 * evidence against the submitting node ({@link ViewMismatch}); no hash changes, so the node stays in
 * agreement with the others.
 *
 * <p>Threads: one block at a time, on the thread that consumes the order. A failure to read or write
 * is an {@link SQLException}; nothing of the block is written then, and the chain is unchanged.
 */
public final class NetworkBlockApplier {

    /** A transaction as this node applies it: the public part, and this node's views of its versions. */
    public record OrderedTransaction(PublicTransaction publicPart, List<VersionView> views) {
        public OrderedTransaction {
            views = List.copyOf(views);
        }
    }

    /** A view whose values do not match what the submitting node committed to, or do not fit their type. */
    public record ViewMismatch(PublicTransaction transaction, RecordKey record, int version, String problem) {
    }

    private final NetworkDefinition network;
    private final LedgerStore store;
    private final PublicExecution execution;

    public NetworkBlockApplier(NetworkDefinition network, AccessPolicy policy, LedgerStore store) {
        this.network = network;
        this.store = store;
        this.execution = new PublicExecution(network.schema(), policy);
    }

    /**
     * Applies and writes a block on the committed chain.
     *
     * @param time the block's time as the order gives it (moved up to the last block's if earlier)
     * @param mismatches told of every view that is not kept
     * @return each transaction's outcome, in order (a repeat of an earlier idempotency key gets the
     *         earlier outcome and writes nothing)
     * @throws SQLException if the block could not be written: then nothing of it was
     */
    public List<TransactionOutcome> apply(List<OrderedTransaction> block, Instant time, ChainState chain,
            Consumer<ViewMismatch> mismatches) throws SQLException {
        return apply(block, time, null, null, chain, mismatches);
    }

    /**
     * As {@link #apply(List, Instant, ChainState, Consumer)}, for a block cut from the order log:
     * its header records the log's range ({@code orderRange}), and the node's position in the log
     * ({@code order}) is written with it. When the block writes nothing (every transaction a repeat),
     * nothing is written here: the caller stores the position alone.
     */
    public List<TransactionOutcome> apply(List<OrderedTransaction> block, Instant time, JsonNode orderRange,
            OrderWrite order, ChainState chain, Consumer<ViewMismatch> mismatches) throws SQLException {
        ChainTip tip = chain.tip();
        long height = tip.height() + 1;
        Instant blockTime = time.isAfter(tip.lastTime()) ? time : tip.lastTime();
        List<TransactionOutcome> results = new ArrayList<>();
        Map<String, TransactionOutcome> earlier = earlierOutcomes(block);
        Set<String> scopes = new HashSet<>();
        List<OrderedTransaction> fresh = new ArrayList<>();
        for (OrderedTransaction tx : block) {
            String scope = tx.publicPart().idempotencyScope();
            if (scope != null && (earlier.containsKey(scope) || !scopes.add(scope))) {
                results.add(null);
            } else {
                fresh.add(tx);
                results.add(null);
            }
        }
        Map<RecordKey, PublicExecution.PublicState> states = loadStates(fresh);
        List<TransactionRow> txRows = new ArrayList<>();
        List<RecordVersionRow> versionRows = new ArrayList<>();
        List<PurgeWrite> purges = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        Map<java.util.UUID, TransactionOutcome> outcomes = new HashMap<>();
        for (int position = 0; position < fresh.size(); position++) {
            OrderedTransaction ordered = fresh.get(position);
            PublicTransaction tx = ordered.publicPart();
            List<PublicExecution.PublicVersion> versions;
            Rejection rejection = null;
            try {
                versions = execution.execute(tx, key -> states.getOrDefault(key, PublicExecution.PublicState.ABSENT));
            } catch (RejectedException e) {
                versions = List.of();
                rejection = e.rejection();
            }
            Instant validFrom = tx.validFrom() != null ? tx.validFrom() : blockTime;
            List<VersionRef> refs = new ArrayList<>();
            for (PublicExecution.PublicVersion v : versions) {
                ObjectNode fieldHashes = Json.object();
                boolean deleted = v.fieldHashes() == null;
                if (!deleted) {
                    v.fieldHashes().forEach(fieldHashes::put);
                }
                byte[] hash = LedgerHashing.hash(LedgerHashing.versionContent(v.key().type(), v.key().id(),
                        v.version(), validFrom, v.owner(), v.access(), fieldHashes, deleted));
                refs.add(new VersionRef(v.key().type(), v.key().id(), v.version(), LedgerHashing.base64(hash)));
                states.put(v.key(), new PublicExecution.PublicState(v.version(), !deleted, v.owner(), v.access(),
                        deleted ? Set.of() : v.fieldHashes().keySet()));
                if (!v.purged().isEmpty()) {
                    purges.add(new PurgeWrite(v.key(), v.purged(), v.version() - 1, BlockApplier::purgedHashes));
                }
                versionRows.add(versionRow(ordered, v, fieldHashes, deleted, hash, height, blockTime, validFrom,
                        mismatches));
            }
            String status = rejection == null ? "committed" : "rejected";
            ObjectNode content = LedgerHashing.transactionContent(tx, blockTime, status, rejection, refs);
            byte[] txHash = LedgerHashing.hash(content);
            leaves.add(txHash);
            txRows.add(new TransactionRow(tx.txId(), height, position, tx.party().value(),
                    tx.principalKind().name().toLowerCase(), tx.principalName(), tx.idempotencyKey(), status,
                    rejection == null ? null : rejection.code().name(), rejection == null ? null : rejection.message(),
                    blockTime, tx.validFrom(), tx.source() == null ? null : tx.source().system(),
                    tx.source() == null ? null : tx.source().reference(), Json.write(content), txHash,
                    Json.write(LedgerHashing.versionRefs(refs))));
            outcomes.put(tx.txId(), new TransactionOutcome(tx.txId(),
                    rejection == null ? TransactionStatus.COMMITTED : TransactionStatus.REJECTED, height, position,
                    LedgerHashing.base64(txHash), blockTime, List.copyOf(refs), rejection, false));
        }
        if (!fresh.isEmpty()) {
            byte[] merkleRoot = MerkleTree.root(leaves);
            ObjectNode header = LedgerHashing.blockHeader(network.id(), height, tip.lastHash(), merkleRoot,
                    fresh.size(), blockTime, orderRange);
            byte[] blockHash = LedgerHashing.hash(header);
            ChainTip next = tip.next(blockHash, blockTime);
            store.append(new BlockWrite(new BlockRow(height, Json.write(header), tip.lastHash(), merkleRoot,
                    fresh.size(), blockTime, blockHash, next.tree().root()), txRows, versionRows, purges, order));
            chain.advance(next);
        }
        Map<String, TransactionOutcome> firstByScope = new HashMap<>();
        for (int i = 0; i < block.size(); i++) {
            PublicTransaction tx = block.get(i).publicPart();
            String scope = tx.idempotencyScope();
            TransactionOutcome own = outcomes.get(tx.txId());
            if (own != null && (scope == null || !firstByScope.containsKey(scope))) {
                results.set(i, own);
                if (scope != null) {
                    firstByScope.put(scope, own);
                }
            } else {
                TransactionOutcome first = earlier.containsKey(scope) ? earlier.get(scope) : firstByScope.get(scope);
                results.set(i, first.asRepeat());
            }
        }
        return results;
    }

    /**
     * The row this node keeps of a version: with the values of its view if the view holds, else the
     * hashes alone.
     */
    private RecordVersionRow versionRow(OrderedTransaction ordered, PublicExecution.PublicVersion v,
            ObjectNode fieldHashes, boolean deleted, byte[] hash, long height, Instant time, Instant validFrom,
            Consumer<ViewMismatch> mismatches) {
        String operation = v.operation().kind().keyword();
        String owner = v.owner();
        RecordAccess access = v.access();
        java.util.UUID txId = ordered.publicPart().txId();
        if (deleted) {
            return new RecordVersionRow(v.key().type(), v.key().id(), v.version(), operation, null, owner, hash, txId,
                    height, time, validFrom, null, access.stored(), null, "{}", null);
        }
        VersionView view = ordered.views().stream().filter(w -> w.type().equals(v.key().type())
                && w.id().equals(v.key().id()) && w.version() == v.version()).findFirst().orElse(null);
        String problem = view == null ? null : check(view, v);
        if (problem != null) {
            mismatches.accept(new ViewMismatch(ordered.publicPart(), v.key(), v.version(), problem));
            view = null;
        }
        ObjectNode state = Json.object();
        ObjectNode withheld = Json.object();
        Map<String, String> salts = new TreeMap<>();
        for (var it = fieldHashes.fields(); it.hasNext(); ) {
            var field = it.next();
            if (view != null && view.state().has(field.getKey())) {
                state.set(field.getKey(), view.state().get(field.getKey()));
                salts.put(field.getKey(), LedgerHashing.base64(view.saltOf(field.getKey())));
            } else {
                withheld.set(field.getKey(), field.getValue());
            }
        }
        if (view != null && view.complete() && withheld.isEmpty()) {
            return new RecordVersionRow(v.key().type(), v.key().id(), v.version(), operation, Json.write(state), owner,
                    hash, txId, height, time, validFrom, view.versionSalt(), access.stored(), null, null, null);
        }
        ObjectNode saltsJson = Json.object();
        salts.forEach(saltsJson::put);
        return new RecordVersionRow(v.key().type(), v.key().id(), v.version(), operation, Json.write(state), owner,
                hash, txId, height, time, validFrom, null, access.stored(), null, Json.write(saltsJson),
                withheld.isEmpty() ? null : Json.write(withheld));
    }

    /** What is wrong with a view, or null: every value hashes to its commitment, a complete state fits its type. */
    private String check(VersionView view, PublicExecution.PublicVersion v) {
        for (var it = view.state().fields(); it.hasNext(); ) {
            var field = it.next();
            String committed = v.fieldHashes().get(field.getKey());
            byte[] salt = view.saltOf(field.getKey());
            if (committed == null || salt == null || salt.length != 32) {
                return "field " + field.getKey() + " is not one the version commits to";
            }
            if (!committed.equals(LedgerHashing.base64(SaltedFields.hashWithSalt(salt, field.getKey(),
                    field.getValue())))) {
                return "the value of field " + field.getKey() + " does not match its commitment";
            }
        }
        if (view.complete()) {
            Set<String> held = new HashSet<>();
            view.state().fieldNames().forEachRemaining(held::add);
            if (!held.equals(v.fieldHashes().keySet())) {
                return "a complete view lacks fields the version commits to";
            }
            RecordType type = network.schema().type(v.key().type()).orElseThrow();
            List<SchemaViolation> violations = type.validate(view.state());
            if (!violations.isEmpty()) {
                return "the version does not fit " + type.name() + ": " + TransactionExecution.describe(violations);
            }
        }
        return null;
    }

    private Map<String, TransactionOutcome> earlierOutcomes(List<OrderedTransaction> block) throws SQLException {
        Map<String, Set<String>> keys = new HashMap<>();
        for (OrderedTransaction tx : block) {
            if (tx.publicPart().idempotencyKey() != null) {
                keys.computeIfAbsent(tx.publicPart().party().value(), p -> new HashSet<>())
                        .add(tx.publicPart().idempotencyKey());
            }
        }
        Map<String, TransactionOutcome> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        for (TransactionRow row : store.transactionsByIdempotencyKeys(keys)) {
            found.put(org.meshledger.ledger.transaction.Submission.scope(row.party(), row.idempotencyKey()),
                    Outcomes.of(row));
        }
        return found;
    }

    private Map<RecordKey, PublicExecution.PublicState> loadStates(List<OrderedTransaction> block) throws SQLException {
        Set<RecordKey> keys = new LinkedHashSet<>();
        block.forEach(tx -> tx.publicPart().operations().forEach(op -> keys.add(new RecordKey(op.type(), op.id()))));
        Map<RecordKey, PublicExecution.PublicState> states = new HashMap<>();
        store.current(keys).forEach((key, row) -> states.put(key, new PublicExecution.PublicState(row.version(),
                !row.deleted(), row.ownerParty(), RecordAccess.stored(row.access()), fieldNames(row))));
        return states;
    }

    /** The fields a stored version commits to: those it holds, those purged from it and those withheld. */
    static Set<String> fieldNames(RecordVersionRow row) {
        Set<String> names = new HashSet<>();
        for (String json : new String[] {row.state(), row.purged(), row.withheld()}) {
            if (json != null) {
                Json.parse(json).fieldNames().forEachRemaining(names::add);
            }
        }
        return names;
    }
}
