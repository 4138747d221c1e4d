package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.persistence.health.DatabaseDiagnosis;

/**
 * Turns a database failure under a ledger call into the "try again later" the API answers with. The
 * answer says nothing of the database (no SQL, no server message): the details go to the node's log.
 */
public final class LedgerFailure {

    private static final Logger LOG = Logger.getLogger(LedgerFailure.class.getName());
    static final String MESSAGE = "The ledger cannot take transactions now; retry shortly";

    private LedgerFailure() {
    }

    public static LedgerUnavailableException of(SQLException e) {
        LOG.log(Level.WARNING, "A ledger call failed: " + DatabaseDiagnosis.describe(e), e);
        return new LedgerUnavailableException(MESSAGE, e);
    }

    /** A transaction failed in a way the ledger did not foresee: the same answer, the details logged. */
    public static LedgerUnavailableException unexpected(Throwable e) {
        LOG.log(Level.SEVERE, "A transaction failed", e);
        return new LedgerUnavailableException(MESSAGE, e);
    }
}
