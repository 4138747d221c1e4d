package org.meshledger.ledger.ordering.kafka;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A record of the order log the node has consumed: its offset and the SHA-256 of its raw value.
 * A node stores that of the last record its last block consumed ({@link CutBlock#end()}); at start
 * the log must still hold that very record there ({@link StartCheck}).
 */
public record LogPosition(long offset, byte[] valueSha256) {

    public LogPosition {
        Objects.requireNonNull(valueSha256, "valueSha256");
        if (offset < 0 || valueSha256.length != 32) {
            throw new IllegalArgumentException("Not a log position: offset " + offset + ", a digest of "
                    + valueSha256.length + " bytes");
        }
        valueSha256 = valueSha256.clone();
    }

    @Override
    public byte[] valueSha256() {
        return valueSha256.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogPosition p && offset == p.offset && Arrays.equals(valueSha256, p.valueSha256);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(valueSha256);
    }

    @Override
    public String toString() {
        return "offset " + offset + " (sha-256 " + HexFormat.of().formatHex(valueSha256) + ")";
    }
}
