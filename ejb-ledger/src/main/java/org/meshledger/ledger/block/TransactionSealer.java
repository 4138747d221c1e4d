package org.meshledger.ledger.block;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NodeDefinition;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.PublicOperation;
import org.meshledger.ledger.transaction.PublicTransaction;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.persistence.ledger.RecordKey;

/**
 * The submitting node's half of the write path in a network of nodes: carries a submission out
 * against the records as this node holds them, with every rule that needs values (schema, key,
 * transitions, rows), and splits the result into the public part every node applies and, for each
 * node, the views of what its parties may read. Salts are drawn here, at random, one per record
 * version and per operation: nothing in the public part lets another node derive them.
 *
 * <p>The public part fixes the version each change was prepared on ({@link PublicOperation#baseVersion});
 * applying it conflicts if the record has moved on meanwhile, so what every node applies is what
 * was checked here.
 *
 * <p>Stateless and thread-safe.
 */
public final class TransactionSealer {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A record as this node holds it: its state, and whether it holds every field's value. */
    public record HeldRecord(RecordState state, boolean complete) {
        public static final HeldRecord ABSENT = new HeldRecord(RecordState.ABSENT, true);
    }

    private final NetworkDefinition network;
    private final AccessPolicy policy;
    private final TransactionExecution execution;

    public TransactionSealer(NetworkDefinition network, AccessPolicy policy) {
        this.network = network;
        this.policy = policy;
        this.execution = new TransactionExecution(network.schema(), policy);
    }

    /**
     * @param held each record as this node holds it
     * @throws RejectedException if the transaction cannot succeed on the records as they are: it is
     *         refused at submit and never ordered
     */
    public SealedTransaction seal(Submission submission, Function<RecordKey, HeldRecord> held)
            throws RejectedException {
        return sealWithStates(submission, held).sealed();
    }

    /** A sealed transaction and each record as it leaves it (for the next submission of this node). */
    public record Sealed(SealedTransaction sealed, Map<RecordKey, HeldRecord> after) {
    }

    /** As {@link #seal}, with the records as the transaction leaves them. */
    public Sealed sealWithStates(Submission submission, Function<RecordKey, HeldRecord> held)
            throws RejectedException {
        List<Operation> ops = submission.request().operations();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            HeldRecord record = held.apply(new RecordKey(op.type(), op.id()));
            if (!record.complete() && op.kind() != OperationKind.DELETE) {
                throw new RejectedException(RejectionCode.ACCESS_DENIED, op.type() + "/" + op.id() + ": this node "
                        + "does not hold every field of it, so it cannot prepare its next version; the node of its "
                        + "owner (" + record.state().owner() + ") can", i);
            }
        }
        List<TransactionExecution.NewVersion> versions = execution.execute(submission, key -> held.apply(key).state());
        Map<RecordKey, JsonNode> states = new HashMap<>();
        List<PublicOperation> operations = new ArrayList<>();
        Map<String, List<VersionView>> views = new LinkedHashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            TransactionExecution.NewVersion v = versions.get(i);
            Operation op = ops.get(i);
            JsonNode before = states.containsKey(v.key()) ? states.get(v.key()) : held.apply(v.key()).state().state();
            states.put(v.key(), v.state());
            byte[] salt = randomSalt();
            Map<String, String> fieldHashes = null;
            if (v.state() != null) {
                fieldHashes = new TreeMap<>();
                ObjectNode hashes = SaltedFields.fieldHashes(v.state(), salt);
                for (var it = hashes.fields(); it.hasNext(); ) {
                    var field = it.next();
                    fieldHashes.put(field.getKey(), field.getValue().asText());
                }
            }
            List<String> written = switch (op.kind()) {
                case GRANT, REVOKE -> List.of();
                case PURGE -> List.copyOf(TransactionExecution.purgedFields(op));
                default -> List.copyOf(TransactionExecution.changedFields(before, v.state()));
            };
            ObjectNode commitment = Json.object();
            commitment.put("salt", LedgerHashing.base64(randomSalt()));
            commitment.set("operation", LedgerHashing.operation(op));
            operations.add(PublicOperation.of(op.kind(), op.type(), op.id(), op.expectedVersion(), v.version() - 1,
                    LedgerHashing.base64(LedgerHashing.hash(commitment)), written,
                    op.kind().changesAccess() ? op.body() : null, op.kind() == OperationKind.PURGE ? op.body() : null,
                    fieldHashes));
            if (v.state() != null) {
                RecordType type = network.schema().type(op.type()).orElseThrow();
                for (NodeDefinition node : network.nodes()) {
                    VersionView view = view(node, type, v, salt);
                    if (view != null) {
                        views.computeIfAbsent(node.id(), n -> new ArrayList<>()).add(view);
                    }
                }
            }
        }
        var principal = submission.principal();
        PublicTransaction publicPart = new PublicTransaction(submission.txId(), principal.party(), principal.kind(),
                principal.name(), principal.roles(), submission.request().idempotencyKey(),
                submission.request().source(), submission.request().validFrom(), operations);
        Map<RecordKey, HeldRecord> after = new LinkedHashMap<>();
        for (TransactionExecution.NewVersion v : versions) {
            after.put(v.key(), new HeldRecord(new RecordState(v.version(), v.state(), v.owner(), v.access()), true));
        }
        return new Sealed(new SealedTransaction(publicPart, views), after);
    }

    /** What a node may read of a version: its parties' readable fields, or null if none of them reads the record. */
    private VersionView view(NodeDefinition node, RecordType type, TransactionExecution.NewVersion v, byte[] salt) {
        RecordAccess access = v.access();
        if (node.parties().stream().noneMatch(party -> policy.canRead(party, type, access))) {
            return null;
        }
        ObjectNode readable = Json.object();
        Map<String, byte[]> salts = new TreeMap<>();
        boolean all = true;
        for (var it = v.state().fields(); it.hasNext(); ) {
            var field = it.next();
            if (readsField(node.parties(), type, field.getKey(), access)) {
                readable.set(field.getKey(), field.getValue());
                salts.put(field.getKey(), SaltedFields.fieldSalt(salt, field.getKey()));
            } else {
                all = false;
            }
        }
        return all ? new VersionView(type.name(), v.key().id(), v.version(), readable, salt, null)
                : new VersionView(type.name(), v.key().id(), v.version(), readable, null, salts);
    }

    private boolean readsField(List<PartyId> parties, RecordType type, String field, RecordAccess access) {
        return parties.stream().anyMatch(party -> policy.canReadField(party, type, field, access));
    }

    private static byte[] randomSalt() {
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
