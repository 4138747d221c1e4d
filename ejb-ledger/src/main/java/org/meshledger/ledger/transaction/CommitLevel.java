package org.meshledger.ledger.transaction;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a transaction must have gone before the submitter is answered. A network of nodes will add
 * levels ("accepted" once the order topic holds it durably, "committed on every node") without
 * changing the API. There is no "accepted" level on a single node: until its block is written, a
 * transaction can still be lost (a crash, a failed block write), and an answer must not promise
 * otherwise.
 */
public enum CommitLevel {
    /** Committed in a block on this node (the default). */
    COMMITTED("committed");

    private final String keyword;

    CommitLevel(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<CommitLevel> of(String keyword) {
        return Arrays.stream(values()).filter(l -> l.keyword.equals(keyword)).findFirst();
    }
}
