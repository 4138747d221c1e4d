package org.meshledger.ledger.service;

import java.sql.SQLException;

import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.persistence.health.DatabaseDiagnosis;

/** Turns a database failure under a ledger call into the "try again later" the API answers with. */
public final class LedgerFailure {

    private LedgerFailure() {
    }

    public static LedgerUnavailableException of(SQLException e) {
        return new LedgerUnavailableException("The ledger cannot be read or written now: " + DatabaseDiagnosis.describe(e), e);
    }
}
