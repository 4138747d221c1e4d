package org.meshledger.ledger.transaction;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a transaction request from its JSON form (the REST API's and the connectors'), reporting
 * every problem with where it is.
 */
public final class TransactionRequests {

    /** The most operations a request may list before it is read further ({@code InputLimits} may say fewer). */
    public static final int MAX_OPERATIONS = 10_000;
    private static final int MAX_TEXT = 200;

    private TransactionRequests() {
    }

    public static TransactionRequest parse(JsonNode json) {
        List<FieldProblem> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw new InvalidTransactionException("A transaction is a JSON object",
                    List.of(new FieldProblem("", "type", "expected a JSON object")));
        }
        String key = optionalText(json, "idempotencyKey", "", problems);
        CommitLevel level = CommitLevel.COMMITTED;
        if (json.has("commit")) {
            Optional<CommitLevel> parsed = CommitLevel.of(json.path("commit").asText());
            if (parsed.isEmpty() && json.path("commit").asText().equals("accepted")) {
                problems.add(new FieldProblem("/commit", "enum", "commit 'accepted' is not offered on a single "
                        + "node: until its block is written a transaction can still be lost, so it is answered "
                        + "once committed (leave commit out, or say committed)"));
            } else if (parsed.isEmpty()) {
                problems.add(new FieldProblem("/commit", "enum", "commit must be committed"));
            } else {
                level = parsed.get();
            }
        }
        Instant validFrom = null;
        if (json.hasNonNull("validFrom")) {
            try {
                validFrom = Instant.parse(json.path("validFrom").asText()).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                problems.add(new FieldProblem("/validFrom", "format",
                        "validFrom must be an ISO 8601 instant such as 2026-11-01T00:00:00Z"));
            }
        }
        SourceReference source = null;
        if (json.hasNonNull("source")) {
            JsonNode s = json.path("source");
            String system = requiredText(s, "system", "/source", problems);
            String reference = requiredText(s, "reference", "/source", problems);
            source = new SourceReference(system, reference);
        }
        List<Operation> operations = new ArrayList<>();
        JsonNode ops = json.path("operations");
        if (!ops.isArray() || ops.isEmpty()) {
            problems.add(new FieldProblem("/operations", "minItems", "a transaction has at least one operation"));
        } else if (ops.size() > MAX_OPERATIONS) {
            problems.add(new FieldProblem("/operations", "maxItems", "a transaction has at most " + MAX_OPERATIONS
                    + " operations"));
        } else {
            for (int i = 0; i < ops.size(); i++) {
                operation(ops.get(i), "/operations/" + i, problems).ifPresent(operations::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTransactionException("The transaction request is not valid", problems);
        }
        return new TransactionRequest(key, level, validFrom, source, operations);
    }

    private static Optional<Operation> operation(JsonNode op, String at, List<FieldProblem> problems) {
        int before = problems.size();
        String kindText = requiredText(op, "op", at, problems);
        Optional<OperationKind> kind = kindText == null ? Optional.empty() : OperationKind.of(kindText);
        if (kindText != null && kind.isEmpty()) {
            problems.add(new FieldProblem(at + "/op", "enum", "op must be create, update, put, delete, grant, revoke or purge"));
        }
        String type = requiredText(op, "type", at, problems);
        String id = requiredText(op, "id", at, problems);
        Integer expected = null;
        if (op.hasNonNull("expectedVersion")) {
            if (!op.path("expectedVersion").canConvertToInt() || op.path("expectedVersion").asInt() < 0
                    || !op.path("expectedVersion").isIntegralNumber()) {
                problems.add(new FieldProblem(at + "/expectedVersion", "minimum",
                        "expectedVersion is a version number, 0 for a record that must not exist yet"));
            } else {
                expected = op.path("expectedVersion").asInt();
            }
        }
        JsonNode body = null;
        if (kind.isPresent()) {
            String bodyField = kind.get().bodyField();
            if (bodyField != null) {
                body = op.get(bodyField);
                if (body == null || !body.isObject()) {
                    problems.add(new FieldProblem(at + "/" + bodyField, "required", kindText + " needs \""
                            + bodyField + "\", a JSON object"));
                }
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Operation(kind.get(), type, id, expected, body));
    }

    private static String requiredText(JsonNode node, String field, String at, List<FieldProblem> problems) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add(new FieldProblem(at + "/" + field, "required", field + " is required (a non-empty string)"));
            return null;
        }
        if (value.asText().length() > MAX_TEXT) {
            problems.add(new FieldProblem(at + "/" + field, "maxLength", field + " is at most " + MAX_TEXT
                    + " characters"));
            return null;
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field, String at, List<FieldProblem> problems) {
        if (!node.hasNonNull(field)) {
            return null;
        }
        return requiredText(node, field, at, problems);
    }
}
