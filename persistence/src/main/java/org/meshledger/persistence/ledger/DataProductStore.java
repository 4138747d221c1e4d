package org.meshledger.persistence.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

/** The measurements a data product's descriptor shows: who owns records of each type, and quality figures. */
public final class DataProductStore {

    /** A type with records of one owning party. */
    public record TypeOwner(String type, String owner) {
    }

    /** Valid time → recorded time of recent versions, in milliseconds. */
    public record Timeliness(long versions, double p50Millis, double p99Millis) {
    }

    /** Current records, and how many of them have every required field. */
    public record Completeness(long records, long complete) {

        public double percent() {
            return records == 0 ? 100.0 : 100.0 * complete / records;
        }
    }

    private final DataSource dataSource;
    private final LedgerStore store;

    public DataProductStore(DataSource dataSource, LedgerStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    public List<TypeOwner> owners() throws SQLException {
        return store.queryList("SELECT DISTINCT record_type, owner_party FROM record_current WHERE NOT deleted "
                + "ORDER BY 1, 2", s -> { }, rs -> new TypeOwner(rs.getString(1), rs.getString(2)));
    }

    /** Over the last {@code limit} versions of the owner's records of the type. */
    public Timeliness timeliness(String type, String owner, int limit) throws SQLException {
        return store.queryList("SELECT count(*), "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - valid_from)), "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - valid_from)) "
                + "FROM (SELECT recorded_at, valid_from FROM record_version WHERE record_type = ? AND owner_party = ? "
                + "ORDER BY block_height DESC LIMIT ?) v", s -> {
                    s.setString(1, type);
                    s.setString(2, owner);
                    s.setInt(3, limit);
                }, rs -> new Timeliness(rs.getLong(1), rs.getDouble(2) * 1000, rs.getDouble(3) * 1000)).get(0);
    }

    public Completeness completeness(String type, String owner, List<String> required) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE jsonb_exists_all(state, ?::text[])) FROM record_current "
                        + "WHERE record_type = ? AND owner_party = ? AND NOT deleted")) {
            s.setArray(1, c.createArrayOf("text", required.toArray()));
            s.setString(2, type);
            s.setString(3, owner);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Completeness(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** Versions of the owner's records of the type recorded since then. */
    public long versionsSince(String type, String owner, Instant since) throws SQLException {
        return store.queryList("SELECT count(*) FROM record_version WHERE record_type = ? AND owner_party = ? "
                + "AND recorded_at >= ?", s -> {
                    s.setString(1, type);
                    s.setString(2, owner);
                    s.setTimestamp(3, Timestamp.from(since));
                }, rs -> rs.getLong(1)).get(0);
    }
}
