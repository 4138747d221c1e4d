package org.meshledger.ledger.identity;

import jakarta.ejb.ApplicationException;

/**
 * A caller whose token belongs to a sign-in session that has ended (the user signed out, or an
 * administrator ended the session): the token is refused although it has not expired yet.
 */
@ApplicationException
public class SessionEndedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SessionEndedException(String message) {
        super(message);
    }
}
