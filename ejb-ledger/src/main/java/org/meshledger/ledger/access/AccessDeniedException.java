package org.meshledger.ledger.access;

import jakarta.ejb.ApplicationException;

/**
 * A party asked for something the schema's {@code x-access} rules do not allow. The message names
 * the rule, so that the caller knows what to ask its network for.
 */
@ApplicationException
public class AccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String rule;

    public AccessDeniedException(String message, String rule) {
        super(message);
        this.rule = rule;
    }

    /** The rule that decided, e.g. {@code x-access.write of Loan.servicingGuidance: [loan-owner]}. */
    public String rule() {
        return rule;
    }
}
