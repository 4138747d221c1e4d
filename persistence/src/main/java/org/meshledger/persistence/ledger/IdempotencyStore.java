package org.meshledger.persistence.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

import javax.sql.DataSource;

import org.meshledger.persistence.Sql;

/**
 * Keeps, per party and idempotency key, the digest of the request submitted under it, so that once
 * the key has an outcome on the ledger a reuse with another request can be told from a repeat. A purge drops the digests of requests that
 * named the purged record ({@link #forgetRecord}), in the purge's own database transaction.
 */
public class IdempotencyStore {

    private final DataSource dataSource;

    public IdempotencyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Remembers the digest of the request now submitted under the key (the latest attempt's: the
     * key belongs to the request that commits; an attempt that never reached the ledger binds
     * nothing for good).
     *
     * @param records the records the request names ({@code Type/id})
     */
    public void remember(String party, String key, byte[] digest, Collection<String> records, Instant now)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO idempotency_request (party, idempotency_key, "
                        + "request_digest, records, first_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (party, "
                        + "idempotency_key) DO UPDATE SET request_digest = EXCLUDED.request_digest, "
                        + "records = EXCLUDED.records, first_seen_at = EXCLUDED.first_seen_at")) {
            s.setString(1, party);
            s.setString(2, key);
            s.setBytes(3, digest);
            s.setArray(4, c.createArrayOf("text", records.toArray()));
            s.setTimestamp(5, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /** The digest of the request last submitted under the key, if one is known (not purged, not older than this store). */
    public Optional<byte[]> digest(String party, String key) throws SQLException {
        return Sql.queryOne(dataSource, "SELECT request_digest FROM idempotency_request WHERE party = ? AND "
                + "idempotency_key = ?", s -> {
                    s.setString(1, party);
                    s.setString(2, key);
                }, rs -> rs.getBytes(1));
    }

    /** Drops the digests of every request that named the record (a purge erases what they were made from). */
    static void forgetRecord(Connection c, RecordKey record) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM idempotency_request WHERE records @> ARRAY[?]::text[]")) {
            s.setString(1, record.type() + "/" + record.id());
            s.executeUpdate();
        }
    }
}
