package org.meshledger.ledger.schema;

/**
 * Why a record does not fit its type.
 *
 * @param field where, as a JSON Pointer (e.g. {@code /taxId} or {@code /originalPrincipal/amount})
 * @param rule the JSON Schema keyword that failed (e.g. {@code pattern}, {@code required})
 * @param message the validator's sentence
 */
public record SchemaViolation(String field, String rule, String message) {
}
