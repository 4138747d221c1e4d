package org.meshledger.ledger.transaction;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a transaction must have gone before the submitter is answered. A network of nodes will add
 * a level ("committed on every node") without changing the API.
 */
public enum CommitLevel {
    /** Ordered: its place in the ledger is fixed; it is applied shortly after. */
    ACCEPTED("accepted"),
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
