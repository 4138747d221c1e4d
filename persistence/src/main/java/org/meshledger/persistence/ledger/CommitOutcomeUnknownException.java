package org.meshledger.persistence.ledger;

import java.sql.SQLException;

/**
 * The database did not confirm a block's commit (the connection broke during COMMIT, say): the
 * block may or may not be stored. Only reading the ledger tells ({@link LedgerStore#lastBlock}).
 */
public final class CommitOutcomeUnknownException extends SQLException {

    private static final long serialVersionUID = 1L;

    public CommitOutcomeUnknownException(long height, SQLException cause) {
        super("The commit of block " + height + " was not confirmed", cause.getSQLState(), cause);
    }
}
