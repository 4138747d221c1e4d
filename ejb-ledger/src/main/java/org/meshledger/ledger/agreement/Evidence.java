package org.meshledger.ledger.agreement;

import java.util.List;

/**
 * What a node holds against another (or against itself, when it is the one in the minority): the
 * kind of fault, the node, the height, a sentence, and the signed statements that prove it.
 */
public record Evidence(Kind kind, String node, long height, String detail, List<SignedCheckpoint> statements) {

    public enum Kind {
        /** Checkpoints of one height that do not agree: someone applied a different ledger. */
        DIVERGENCE("divergence"),
        /** Two different checkpoints signed by one node for one height. */
        EQUIVOCATION("equivocation");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public Evidence {
        statements = List.copyOf(statements);
    }
}
