package org.meshledger.persistence.ledger;

import java.sql.SQLException;

/**
 * The ledger already has a block at the height being written: an earlier write whose outcome was
 * not known did commit, or another writer got there first. Nothing of the refused write is stored;
 * the writer must catch up with the ledger before it writes on.
 */
public final class BlockExistsException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final long height;

    public BlockExistsException(long height, SQLException cause) {
        super("The ledger already has block " + height, cause.getSQLState(), cause);
        this.height = height;
    }

    public long height() {
        return height;
    }
}
