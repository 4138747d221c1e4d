package org.meshledger.ledger.transaction;

import java.util.List;

import jakarta.ejb.ApplicationException;

/** A request that cannot be a transaction as it stands; nothing was ordered or written. */
@ApplicationException
public class InvalidTransactionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldProblem> problems;

    public InvalidTransactionException(String message, List<FieldProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
