package org.meshledger.persistence.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

/** Writes read receipts and finds them for a record's owning party. */
public class ReadReceiptStore {

    private final DataSource dataSource;

    public ReadReceiptStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records receipts, all in one statement batch: a read is answered only once they are written. */
    public void record(List<ReadReceiptRow> receipts) throws SQLException {
        if (receipts.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO read_receipt (read_at, reader_party, reader_kind, "
                        + "reader_name, read_path, record_type, record_id, version, owner_party, fields) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ReadReceiptRow r : receipts) {
                s.setTimestamp(1, Timestamp.from(r.readAt()));
                s.setString(2, r.readerParty());
                s.setString(3, r.readerKind());
                s.setString(4, r.readerName());
                s.setString(5, r.path());
                s.setString(6, r.type());
                s.setString(7, r.id());
                s.setInt(8, r.version());
                s.setString(9, r.ownerParty());
                Array fields = c.createArrayOf("text", r.fields().toArray());
                s.setArray(10, fields);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * The receipts of the owner's records, newest first, optionally of one type or record and within
     * a time window.
     */
    public List<ReadReceiptRow> ofOwner(String owner, String type, String id, Instant from, Instant to, int offset,
            int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT read_at, reader_party, reader_kind, reader_name, read_path, "
                + "record_type, record_id, version, owner_party, fields FROM read_receipt WHERE owner_party = ?");
        List<Object> params = new ArrayList<>(List.of(owner));
        if (type != null) {
            sql.append(" AND record_type = ?");
            params.add(type);
        }
        if (id != null) {
            sql.append(" AND record_id = ?");
            params.add(id);
        }
        if (from != null) {
            sql.append(" AND read_at >= ?");
            params.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND read_at < ?");
            params.add(Timestamp.from(to));
        }
        sql.append(" ORDER BY read_at DESC, id DESC LIMIT ? OFFSET ?");
        params.add(limit);
        params.add(offset);
        List<ReadReceiptRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ReadReceiptRow(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            rs.getString(9), Arrays.asList((String[]) rs.getArray(10).getArray())));
                }
            }
        }
        return rows;
    }
}
