package org.meshledger.ledger.transaction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SchemaViolation;
import org.meshledger.ledger.schema.SharedSchema;

/**
 * What the node checks before it orders a transaction, so that a request that can never succeed is
 * refused at once and costs the ledger nothing: known types, new states that fit their type, a key
 * that matches the record id, and the party's right to write what it names. Applying the block
 * checks again, against the records as they then stand.
 */
public final class SubmitChecks {

    private final SharedSchema schema;
    private final AccessPolicy policy;

    public SubmitChecks(SharedSchema schema, AccessPolicy policy) {
        this.schema = schema;
        this.policy = policy;
    }

    /**
     * @throws InvalidTransactionException listing every problem (HTTP 422)
     * @throws org.meshledger.ledger.access.AccessDeniedException naming the rule (HTTP 403)
     */
    public void check(MeshPrincipal principal, TransactionRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Operation> operations = request.operations();
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            String at = "/operations/" + i;
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
}
