package org.meshledger.ledger.block;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.PublicOperation;
import org.meshledger.ledger.transaction.PublicTransaction;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.persistence.ledger.RecordKey;

/**
 * Carries out a public transaction against the records as every node knows them (versions, owners,
 * what is shared, field names), all or none: the apply step of a network of nodes, deterministic on
 * the public part alone. It checks expected versions and the version each change was prepared on,
 * existence, the write rules by type and by field, and that the field names the new versions show
 * follow from the operations. Rules that need values (schema, transitions, rows) were checked by
 * the submitting node and are checked again by every node that receives the values
 * ({@link NetworkBlockApplier}).
 */
final class PublicExecution {

    /** A record as every node knows it. */
    record PublicState(int version, boolean exists, String owner, RecordAccess access, Set<String> fields) {
        static final PublicState ABSENT = new PublicState(0, false, null, RecordAccess.NONE, Set.of());
    }

    /** A record version the transaction writes, by its fields' hashes. */
    record PublicVersion(RecordKey key, PublicOperation operation, int version, SortedMap<String, String> fieldHashes,
            String owner, RecordAccess access, Set<String> purged) {
    }

    private final SharedSchema schema;
    private final AccessPolicy policy;

    PublicExecution(SharedSchema schema, AccessPolicy policy) {
        this.schema = schema;
        this.policy = policy;
    }

    List<PublicVersion> execute(PublicTransaction tx, Function<RecordKey, PublicState> current) throws RejectedException {
        Map<RecordKey, PublicState> touched = new LinkedHashMap<>();
        List<PublicVersion> versions = new ArrayList<>();
        MeshPrincipal principal = new MeshPrincipal(tx.party(), tx.principalKind(), tx.principalName(), "",
                tx.roles());
        for (int index = 0; index < tx.operations().size(); index++) {
            PublicOperation op = tx.operations().get(index);
            RecordType type = schema.type(op.type()).orElseThrow(() -> new IllegalStateException("unknown type"));
            RecordKey key = new RecordKey(op.type(), op.id());
            PublicState before = touched.containsKey(key) ? touched.get(key) : current.apply(key);
            checkVersions(op, before, index);
            switch (op.kind()) {
                case CREATE -> {
                    if (before.exists()) {
                        throw new RejectedException(RejectionCode.ALREADY_EXISTS, key + " already exists (version "
                                + before.version() + ")", index);
                    }
                }
                case PUT -> { }
                case UPDATE, DELETE, GRANT, REVOKE -> requireExists(before, key, index);
                case PURGE -> {
                    if (before.version() == 0) {
                        throw new RejectedException(RejectionCode.NOT_FOUND, key + " does not exist", index);
                    }
                }
            }
            checkFieldNames(type, op, before, key, index);
            String owner = before.owner() != null ? before.owner() : tx.party().value();
            RecordAccess access;
            try {
                access = switch (op.kind()) {
                    case PURGE -> {
                        policy.checkPurge(principal, type, owner);
                        yield before.access();
                    }
                    case GRANT, REVOKE -> {
                        policy.checkChangeAccess(principal, type, owner);
                        RecordAccess changed = RecordAccess.parse(op.access());
                        yield op.kind() == OperationKind.GRANT ? before.access().plus(changed)
                                : before.access().minus(changed);
                    }
                    default -> {
                        RecordAccess kept = before.exists() ? before.access() : RecordAccess.NONE;
                        policy.checkWrite(tx.party(), type, op.written(), kept);
                        if (op.kind() == OperationKind.DELETE) {
                            policy.checkDelete(tx.party(), type, owner);
                        }
                        yield kept;
                    }
                };
            } catch (AccessDeniedException denied) {
                throw new RejectedException(denied, index);
            }
            Set<String> fields = op.fieldHashes() == null ? Set.of() : op.fieldHashes().keySet();
            PublicState next = new PublicState(before.version() + 1, !op.deletes(), owner, access, fields);
            touched.put(key, next);
            versions.add(new PublicVersion(key, op, next.version(), op.fieldHashes(), owner, access,
                    op.kind() == OperationKind.PURGE ? purgedFields(op) : Set.of()));
        }
        return versions;
    }

    /** The expected version (the client's) and the base version (its node's) both hold. */
    private static void checkVersions(PublicOperation op, PublicState before, int index) throws RejectedException {
        Integer expected = op.expectedVersion();
        int actual = before.exists() ? before.version() : 0;
        if (expected != null && expected != actual) {
            throw new RejectedException(RejectionCode.VERSION_CONFLICT, op.type() + "/" + op.id() + " is at version "
                    + (before.exists() ? actual : "0 (it does not exist)") + ", not at the expected version " + expected,
                    index);
        }
        if (op.baseVersion() != before.version()) {
            throw new RejectedException(RejectionCode.VERSION_CONFLICT, op.type() + "/" + op.id() + " is at version "
                    + before.version() + ", not at version " + op.baseVersion() + " on which this change was "
                    + "prepared; submit it again", index);
        }
    }

    /**
     * What every node can check of the new version without its values: a deletion shows no fields,
     * anything else its key; a field that comes or goes is a written one; a grant or revoke keeps the
     * fields, a purge drops exactly the ones it names.
     */
    private static void checkFieldNames(RecordType type, PublicOperation op, PublicState before, RecordKey key,
            int index) throws RejectedException {
        if (op.kind() == OperationKind.DELETE) {
            return;
        }
        Set<String> after = op.fieldHashes().keySet();
        Set<String> was = before.exists() ? before.fields() : Set.of();
        boolean consistent = switch (op.kind()) {
            case GRANT, REVOKE -> after.equals(was);
            case PURGE -> {
                Set<String> kept = new TreeSet<>(was);
                kept.removeAll(purgedFields(op));
                yield after.equals(kept);
            }
            default -> {
                Set<String> changed = new HashSet<>(after);
                changed.addAll(was);
                Set<String> both = new HashSet<>(after);
                both.retainAll(was);
                changed.removeAll(both);
                yield op.written().containsAll(changed) && after.contains(type.keyField());
            }
        };
        if (!consistent) {
            throw new RejectedException(RejectionCode.INVALID_OPERATION, key + ": the fields of its new version do "
                    + "not follow from the operation", index);
        }
    }

    static Set<String> purgedFields(PublicOperation op) {
        Set<String> fields = new TreeSet<>();
        op.purge().path("fields").forEach(f -> fields.add(f.asText()));
        return fields;
    }

    private static void requireExists(PublicState before, RecordKey key, int index) throws RejectedException {
        if (!before.exists()) {
            throw new RejectedException(RejectionCode.NOT_FOUND, key + " does not exist", index);
        }
    }
}
