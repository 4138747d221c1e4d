package org.meshledger.ledger.block;

import java.util.List;

import org.meshledger.persistence.ledger.BlockWrite;

/**
 * A block applied but not yet written: the rows to write in one database transaction, the chain's
 * tip once they are, and what became of every submission. A block of repeats only writes nothing
 * ({@code write} is null) and leaves the tip where it was.
 */
public record PreparedBlock(BlockWrite write, ChainTip tip, List<AppliedTransaction> results) {

    public boolean writesNothing() {
        return write == null;
    }

    public long height() {
        return tip.height();
    }
}
