package org.meshledger.ledger.transaction;

/**
 * One thing wrong with a request.
 *
 * @param pointer where in the request (a JSON Pointer, e.g. {@code /operations/0/data/taxId})
 * @param rule the rule it breaks (a JSON Schema keyword, or e.g. {@code required}, {@code unknown-type})
 * @param message a sentence for people
 */
public record FieldProblem(String pointer, String rule, String message) {
}
