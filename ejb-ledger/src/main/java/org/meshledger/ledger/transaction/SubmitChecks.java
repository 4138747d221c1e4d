package org.meshledger.ledger.transaction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.InputLimits;
import org.meshledger.ledger.schema.SchemaViolation;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.ledger.schema.StorableValues;

/**
 * What the node checks before it orders a transaction, so that a request that can never succeed is
 * refused at once and costs the ledger nothing: known types, new states that fit their type, a key
 * that matches the record id, grants that name known parties and fields, and the party's right to
 * create what it creates. The right to change an existing record depends on what its owner shared
 * of it, so applying the block checks that, against the records as they then stand.
 */
public final class SubmitChecks {

    private final SharedSchema schema;
    private final AccessPolicy policy;
    private final Set<String> parties;
    private final InputLimits limits;

    public SubmitChecks(SharedSchema schema, AccessPolicy policy, Set<PartyId> parties) {
        this(schema, policy, parties, InputLimits.DEFAULT);
    }

    public SubmitChecks(SharedSchema schema, AccessPolicy policy, Set<PartyId> parties, InputLimits limits) {
        this.schema = schema;
        this.policy = policy;
        this.parties = parties.stream().map(PartyId::value).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.limits = limits;
    }

    /**
     * @throws InvalidTransactionException listing every problem (HTTP 422)
     * @throws org.meshledger.ledger.access.AccessDeniedException naming the rule (HTTP 403)
     */
    public void check(MeshPrincipal principal, TransactionRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Operation> operations = request.operations();
        if (operations.size() > limits.maxOperations()) {
            throw new InvalidTransactionException("The transaction is too large", List.of(new FieldProblem(
                    "/operations", "maxItems", "a transaction has at most " + limits.maxOperations() + " operations")));
        }
        if (request.idempotencyKey() != null) {
            checkText(request.idempotencyKey(), "/idempotencyKey", problems);
        }
        if (request.source() != null) {
            // Lineage is kept as given: the same bounds as a record's text.
            checkText(request.source().reference(), "/source/reference", problems);
            checkText(request.source().system(), "/source/system", problems);
        }
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            String at = "/operations/" + i;
            checkText(op.id(), at + "/id", problems);
            Optional<RecordType> type = schema.type(op.type());
            if (type.isEmpty()) {
                problems.add(new FieldProblem(at + "/type", "unknown-type", "the network has no record type '"
                        + op.type() + "'"));
                continue;
            }
            if (op.kind() == OperationKind.CREATE || op.kind() == OperationKind.PUT) {
                String bodyAt = at + "/data";
                for (SchemaViolation v : type.get().validate(op.body())) {
                    problems.add(new FieldProblem(bodyAt + v.field(), v.rule(), v.message()));
                }
                if (!op.id().equals(op.body().path(type.get().keyField()).asText(null))) {
                    problems.add(new FieldProblem(bodyAt + "/" + type.get().keyField(), "x-key", type.get().keyField()
                            + " must equal the operation's id '" + op.id() + "'"));
                }
            }
            if (op.kind().changesAccess()) {
                checkGrant(type.get(), op, at + "/access", problems);
            }
            if (op.kind() == OperationKind.PURGE) {
                checkPurge(type.get(), op, at + "/purge", problems);
            }
            if (op.kind() != OperationKind.CREATE && op.kind() != OperationKind.PUT && op.body() != null) {
                // A patch, grant or purge is stored as sent: what the store cannot hold is refused now.
                String bodyAt = at + "/" + op.kind().bodyField();
                for (SchemaViolation v : StorableValues.check(op.body(), limits)) {
                    problems.add(new FieldProblem(bodyAt + v.field(), v.rule(), v.message()));
                }
            }
            if (op.kind() == OperationKind.UPDATE && op.body().has(type.get().keyField())
                    && !op.id().equals(op.body().path(type.get().keyField()).asText())) {
                problems.add(new FieldProblem(at + "/patch/" + type.get().keyField(), "x-key", "a record's "
                        + type.get().keyField() + " cannot change"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTransactionException("The transaction does not fit the network's schema", problems);
        }
        // Access last: a request that is malformed says so, whoever sends it.
        for (Operation op : operations) {
            if (!op.kind().byAdministrator()) {
                policy.checkEditor(principal);
            }
            if (op.kind() != OperationKind.CREATE) {
                continue;
            }
            RecordType type = schema.type(op.type()).orElseThrow();
            List<String> named = new ArrayList<>();
            if (op.body() != null) {
                for (Iterator<String> fields = op.body().fieldNames(); fields.hasNext(); ) {
                    named.add(fields.next());
                }
            }
            policy.checkWrite(principal.party(), type, named);
        }
    }

    /**
     * Ids, keys and lineage end up in keys, URLs, headers and the ledger's rows: no control
     * character, at most 200 characters. Checked here, where every way in passes (REST, portal,
     * Kafka, connectors), not again when a request is read.
     */
    private static void checkText(String text, String at, List<FieldProblem> problems) {
        String unstorable = StorableValues.unstorable(text, true);
        if (unstorable != null) {
            problems.add(new FieldProblem(at, "characters", "the text " + unstorable));
        } else if (text.length() > 200) {
            problems.add(new FieldProblem(at, "maxLength", "at most 200 characters"));
        }
    }

    /** Whether some type limits the party's reads to its users' own records. */
    private boolean limitedByRows(PartyId party) {
        return schema.types().stream().anyMatch(t -> t.rows(party) != null);
    }

    private static void checkPurge(RecordType type, Operation op, String at, List<FieldProblem> problems) {
        JsonNode fields = op.body().path("fields");
        if (!fields.isArray() || fields.isEmpty()) {
            problems.add(new FieldProblem(at + "/fields", "required", "a purge names the fields it erases"));
        } else {
            for (JsonNode field : fields) {
                if (!field.isTextual() || !type.hasField(field.asText())) {
                    problems.add(new FieldProblem(at + "/fields", "x-purge", type.name() + " has no field " + field));
                } else if (field.asText().equals(type.keyField())) {
                    problems.add(new FieldProblem(at + "/fields", "x-key", "a record's key (" + type.keyField()
                            + ") cannot be purged; delete the record"));
                } else if (!type.isClassified(field.asText())) {
                    // The topics carry every other field by value and keep it: a purge could not reach it there.
                    problems.add(new FieldProblem(at + "/fields", "x-classification", type.name() + "." + field.asText()
                            + ": only pii or confidential fields can be purged: they never travel on the event topics"));
                }
            }
        }
        JsonNode reason = op.body().path("reason");
        if (!reason.isTextual() || reason.asText().isBlank() || reason.asText().length() > 1000) {
            problems.add(new FieldProblem(at + "/reason", "required", "a purge gives its reason (1 to 1000 characters)"));
        }
        for (Iterator<String> names = op.body().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("fields") && !name.equals("reason")) {
                problems.add(new FieldProblem(at + "/" + name, "additionalProperties", "a purge has fields and reason"));
            }
        }
    }

    private void checkGrant(RecordType type, Operation op, String at, List<FieldProblem> problems) {
        RecordAccess access;
        try {
            access = RecordAccess.parse(op.body());
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(at, "x-access", e.getMessage()));
            return;
        }
        if (access.isEmpty()) {
            problems.add(new FieldProblem(at, "x-access", op.kind().keyword() + " names no party"));
        }
        for (String party : access.parties()) {
            if (!parties.contains(party)) {
                problems.add(new FieldProblem(at, "x-access", "the network has no party '" + party + "'"));
            } else if (type.rows(new PartyId(party)) == null && limitedByRows(new PartyId(party))) {
                // Its users each see their own records: a grant to the whole party would show this one to all.
                problems.add(new FieldProblem(at, "x-access.rows", "party '" + party + "' reads only records linked "
                        + "to each of its users, and " + type.name() + " has no x-access.rows rule for it: a "
                        + type.name() + " cannot be shared with it"));
            }
        }
        for (String field : access.fieldNames()) {
            if (!type.hasField(field)) {
                problems.add(new FieldProblem(at + "/fields/" + field, "x-access", type.name() + " has no field '"
                        + field + "'"));
            }
        }
    }
}
