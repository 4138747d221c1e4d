package org.meshledger.ledger.block;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.MergePatch;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SchemaViolation;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.persistence.ledger.RecordKey;

/**
 * Carries out the operations of one transaction against the records as they stand, all or none:
 * checks expected versions, applies the change, validates the result against its type and checks
 * the party's right to make exactly the changes it makes. Deterministic: it reads nothing but its
 * input and the states it is given.
 */
final class TransactionExecution {

    /** A record version the transaction produces. */
    record NewVersion(RecordKey key, Operation operation, int version, JsonNode state, String owner,
            RecordAccess access, Set<String> purged) {

    }

    private final SharedSchema schema;
    private final AccessPolicy policy;

    TransactionExecution(SharedSchema schema, AccessPolicy policy) {
        this.schema = schema;
        this.policy = policy;
    }

    /**
     * @param current the state of each record before the transaction
     * @return the versions it writes, in operation order
     * @throws RejectedException with the reason, if any operation cannot be applied
     */
    List<NewVersion> execute(Submission submission, Function<RecordKey, RecordState> current) throws RejectedException {
        Map<RecordKey, RecordState> touched = new LinkedHashMap<>();
        List<NewVersion> versions = new ArrayList<>();
        PartyId party = submission.principal().party();
        List<Operation> operations = submission.request().operations();
        for (int index = 0; index < operations.size(); index++) {
            Operation op = operations.get(index);
            RecordType type = schema.type(op.type()).orElseThrow(() -> new IllegalStateException("unknown type"));
            RecordKey key = new RecordKey(op.type(), op.id());
            RecordState before = touched.containsKey(key) ? touched.get(key) : current.apply(key);
            checkExpectedVersion(op, before, index);
            JsonNode after = switch (op.kind()) {
                case CREATE -> {
                    if (before.exists()) {
                        throw new RejectedException(RejectionCode.ALREADY_EXISTS, key + " already exists (version "
                                + before.version() + ")", index);
                    }
                    yield op.body();
                }
                case PUT -> op.body();
                case UPDATE -> {
                    requireExists(before, key, index);
                    yield MergePatch.apply(before.state(), op.body());
                }
                case DELETE -> {
                    requireExists(before, key, index);
                    yield null;
                }
                case GRANT, REVOKE -> {
                    requireExists(before, key, index);
                    yield before.state();
                }
                case PURGE -> {
                    if (before.version() == 0) {
                        throw new RejectedException(RejectionCode.NOT_FOUND, key + " does not exist", index);
                    }
                    yield withoutFields(before.state(), purgedFields(op));
                }
            };
            String owner = before.owner() != null ? before.owner() : party.value();
            RecordAccess access;
            try {
                access = switch (op.kind()) {
                    case PURGE -> {
                        policy.checkPurge(submission.principal(), type, owner);
                        yield before.access();
                    }
                    case GRANT, REVOKE -> {
                        policy.checkChangeAccess(submission.principal(), type, owner);
                        RecordAccess changed = RecordAccess.parse(op.body());
                        yield op.kind() == OperationKind.GRANT ? before.access().plus(changed)
                                : before.access().minus(changed);
                    }
                    default -> {
                        checkResult(type, op, key, after, index);
                        // A record created anew (first, or after a deletion) starts with nothing shared.
                        RecordAccess kept = before.exists() ? before.access() : RecordAccess.NONE;
                        // Deleting needs the right to write the record; field rules guard values, and none is written.
                        Set<String> changed = after == null ? Set.of() : changedFields(before.state(), after);
                        policy.checkWrite(party, type, changed, kept);
                        if (op.kind() == OperationKind.DELETE) {
                            policy.checkDelete(party, type, owner);
                        }
                        policy.checkTransitions(party, type, before.state(), after, changed);
                        yield kept;
                    }
                };
            } catch (AccessDeniedException denied) {
                throw new RejectedException(denied, index);
            }
            RecordState next = new RecordState(before.version() + 1, after, owner, access);
            touched.put(key, next);
            versions.add(new NewVersion(key, op, next.version(), after, owner, access,
                    op.kind() == OperationKind.PURGE ? purgedFields(op) : Set.of()));
        }
        return versions;
    }

    /** A new state fits its type and keeps its key. */
    private static void checkResult(RecordType type, Operation op, RecordKey key, JsonNode after, int index)
            throws RejectedException {
        if (after == null) {
            return;
        }
        checkKey(type, op, after, index);
        List<SchemaViolation> violations = type.validate(after);
        if (!violations.isEmpty()) {
            throw new RejectedException(RejectionCode.SCHEMA_VIOLATION, key + " would not fit " + type.name() + ": "
                    + describe(violations), index);
        }
    }

    static Set<String> purgedFields(Operation op) {
        Set<String> fields = new java.util.TreeSet<>();
        op.body().path("fields").forEach(f -> fields.add(f.asText()));
        return fields;
    }

    private static JsonNode withoutFields(JsonNode state, Set<String> fields) {
        if (state == null) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode rest = state.deepCopy();
        rest.remove(fields);
        return rest;
    }

    private static void checkExpectedVersion(Operation op, RecordState before, int index) throws RejectedException {
        Integer expected = op.expectedVersion();
        if (expected == null) {
            return;
        }
        int actual = before.exists() ? before.version() : 0;
        if (expected != actual) {
            throw new RejectedException(RejectionCode.VERSION_CONFLICT, op.type() + "/" + op.id() + " is at version "
                    + (before.exists() ? actual : "0 (it does not exist)") + ", not at the expected version " + expected,
                    index);
        }
    }

    private static void requireExists(RecordState before, RecordKey key, int index) throws RejectedException {
        if (!before.exists()) {
            throw new RejectedException(RejectionCode.NOT_FOUND, key + " does not exist", index);
        }
    }

    private static void checkKey(RecordType type, Operation op, JsonNode state, int index) throws RejectedException {
        JsonNode key = state.get(type.keyField());
        if (key == null || !op.id().equals(key.asText())) {
            throw new RejectedException(RejectionCode.INVALID_OPERATION, op.type() + "/" + op.id() + ": its "
                    + type.keyField() + " must stay " + op.id(), index);
        }
    }

    /** The top-level fields whose value differs between two states (all fields of a new or deleted record). */
    static Set<String> changedFields(JsonNode before, JsonNode after) {
        Set<String> changed = new HashSet<>();
        if (before != null) {
            for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (after == null || !Objects.equals(before.get(name), after.get(name))) {
                    changed.add(name);
                }
            }
        }
        if (after != null) {
            for (Iterator<String> names = after.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (before == null || !Objects.equals(before.get(name), after.get(name))) {
                    changed.add(name);
                }
            }
        }
        return changed;
    }

    static String describe(List<SchemaViolation> violations) {
        StringBuilder text = new StringBuilder();
        for (SchemaViolation v : violations) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(v.field().isEmpty() ? "/" : v.field()).append(" (").append(v.rule()).append("): ")
                    .append(v.message());
        }
        return text.toString();
    }

    static Instant validFrom(Submission submission, Instant recordedAt) {
        return submission.request().validFrom() != null ? submission.request().validFrom() : recordedAt;
    }
}
