package org.meshledger.persistence.ledger;

import java.time.Instant;

/**
 * A point in the ledger's two-dimensional history. {@code height} or {@code recordedAt} bound what
 * the ledger knew (transaction time); {@code validAt} picks what was in effect at a business time,
 * given that knowledge. Unset parts do not constrain.
 */
public record AsOf(Long height, Instant recordedAt, Instant validAt) {

    public static final AsOf NOW = new AsOf(null, null, null);

    public boolean isNow() {
        return height == null && recordedAt == null && validAt == null;
    }
}
