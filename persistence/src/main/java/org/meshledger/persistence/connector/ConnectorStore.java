package org.meshledger.persistence.connector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.meshledger.persistence.Sql;

/**
 * What the connectors keep across restarts (migration V7): their positions in each stream, the
 * links between system records and ledger records, and their dead letters.
 */
public final class ConnectorStore {

    private static final String LINK_COLUMNS = "connector_id, object, external_id, record_type, record_id, "
            + "last_sequence, system_state";
    private static final String DEAD_LETTER_COLUMNS = "id, connector_id, direction, object, external_id, record_type, "
            + "record_id, payload, reason_code, reason, attempts, status, created_at, updated_at, resolved_by";

    private final DataSource dataSource;
    private final Clock clock;

    public ConnectorStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    // ---- cursors ----

    public Optional<String> cursor(String connectorId, String stream) throws SQLException {
        return Sql.queryOne(dataSource, "SELECT position FROM connector_cursor WHERE connector_id = ? AND stream = ?",
                s -> {
                    s.setString(1, connectorId);
                    s.setString(2, stream);
                }, rs -> rs.getString(1));
    }

    public void saveCursor(String connectorId, String stream, String position) throws SQLException {
        Sql.update(dataSource, "INSERT INTO connector_cursor (connector_id, stream, position, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (connector_id, stream) DO UPDATE SET position = EXCLUDED.position, "
                + "updated_at = EXCLUDED.updated_at", s -> {
                    s.setString(1, connectorId);
                    s.setString(2, stream);
                    s.setString(3, position);
                    s.setTimestamp(4, Timestamp.from(clock.instant()));
                });
    }

    /** Forgets a stream's position (a connector starting it over). */
    public void deleteCursor(String connectorId, String stream) throws SQLException {
        Sql.update(dataSource, "DELETE FROM connector_cursor WHERE connector_id = ? AND stream = ?", s -> {
            s.setString(1, connectorId);
            s.setString(2, stream);
        });
    }

    // ---- record links ----

    /** The links of these system records of one object that exist, by external id. */
    public Map<String, RecordLink> links(String connectorId, String object, Collection<String> externalIds)
            throws SQLException {
        if (externalIds.isEmpty()) {
            return Map.of();
        }
        return Sql.query(dataSource, "SELECT " + LINK_COLUMNS + " FROM connector_record_link WHERE connector_id = ? "
                + "AND object = ? AND external_id = ANY (?)", s -> {
                    s.setString(1, connectorId);
                    s.setString(2, object);
                    s.setArray(3, s.getConnection().createArrayOf("text", externalIds.toArray()));
                }, ConnectorStore::link).stream().collect(Collectors.toMap(RecordLink::externalId, link -> link));
    }

    /** The system records linked to these ledger records of one type, per record id. */
    public Map<String, List<RecordLink>> linksOfRecords(String connectorId, String recordType,
            Collection<String> recordIds) throws SQLException {
        if (recordIds.isEmpty()) {
            return Map.of();
        }
        return Sql.query(dataSource, "SELECT " + LINK_COLUMNS + " FROM connector_record_link WHERE connector_id = ? "
                + "AND record_type = ? AND record_id = ANY (?) ORDER BY object, external_id", s -> {
                    s.setString(1, connectorId);
                    s.setString(2, recordType);
                    s.setArray(3, s.getConnection().createArrayOf("text", recordIds.toArray()));
                }, ConnectorStore::link).stream().collect(Collectors.groupingBy(RecordLink::recordId));
    }

    /** Writes links, keeping the highest sequence seen of each and adding the fields to its system state. */
    public void saveLinks(Collection<RecordLink> links) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO connector_record_link (connector_id, object, external_id, record_type, record_id, "
                        + "last_sequence, system_state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
                        + "ON CONFLICT (connector_id, object, external_id) DO UPDATE SET record_type = EXCLUDED.record_type, "
                        + "record_id = EXCLUDED.record_id, updated_at = EXCLUDED.updated_at, last_sequence = "
                        + "GREATEST(connector_record_link.last_sequence, EXCLUDED.last_sequence), system_state = CASE "
                        + "WHEN EXCLUDED.system_state IS NULL THEN connector_record_link.system_state ELSE "
                        + "coalesce(connector_record_link.system_state, '{}'::jsonb) || EXCLUDED.system_state END")) {
            Timestamp now = Timestamp.from(clock.instant());
            for (RecordLink link : links) {
                s.setString(1, link.connectorId());
                s.setString(2, link.object());
                s.setString(3, link.externalId());
                s.setString(4, link.recordType());
                s.setString(5, link.recordId());
                if (link.lastSequence() == null) {
                    s.setNull(6, Types.BIGINT);
                } else {
                    s.setLong(6, link.lastSequence());
                }
                s.setString(7, link.systemState());
                s.setTimestamp(8, now);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static RecordLink link(ResultSet rs) throws SQLException {
        long sequence = rs.getLong(6);
        Long lastSequence = rs.wasNull() ? null : sequence;
        return new RecordLink(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                lastSequence, rs.getString(7));
    }

    // ---- dead letters ----

    /** Records a failure; the id of its open letter (new, or the one it failed again under). */
    public long deadLetter(DeadLetterWrite letter) throws SQLException {
        return Sql.queryOne(dataSource, "INSERT INTO connector_dead_letter (connector_id, direction, dedupe_key, object, "
                + "external_id, record_type, record_id, payload, reason_code, reason, attempts, status, created_at, "
                + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 1, 'open', ?, ?) "
                + "ON CONFLICT (connector_id, dedupe_key) WHERE status = 'open' DO UPDATE SET "
                + "attempts = connector_dead_letter.attempts + 1, payload = EXCLUDED.payload, "
                + "reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at "
                + "RETURNING id", s -> {
                    Timestamp now = Timestamp.from(clock.instant());
                    s.setString(1, letter.connectorId());
                    s.setString(2, letter.direction());
                    s.setString(3, letter.dedupeKey());
                    s.setString(4, letter.object());
                    s.setString(5, letter.externalId());
                    s.setString(6, letter.recordType());
                    s.setString(7, letter.recordId());
                    s.setString(8, letter.payload());
                    s.setString(9, letter.reasonCode());
                    s.setString(10, letter.reason());
                    s.setTimestamp(11, now);
                    s.setTimestamp(12, now);
                }, rs -> rs.getLong(1)).orElseThrow();
    }

    /** A connector's letters in a status, newest first. */
    public List<DeadLetterRow> deadLetters(String connectorId, String status, int offset, int limit)
            throws SQLException {
        return Sql.query(dataSource, "SELECT " + DEAD_LETTER_COLUMNS + " FROM connector_dead_letter "
                + "WHERE connector_id = ? AND status = ? ORDER BY id DESC LIMIT ? OFFSET ?", s -> {
                    s.setString(1, connectorId);
                    s.setString(2, status);
                    s.setInt(3, limit);
                    s.setInt(4, offset);
                }, ConnectorStore::deadLetterRow);
    }

    /** The ids of a connector's open letters, oldest first. */
    public List<Long> openDeadLetterIds(String connectorId, int limit) throws SQLException {
        return Sql.query(dataSource, "SELECT id FROM connector_dead_letter WHERE connector_id = ? AND status = 'open' "
                + "ORDER BY id LIMIT ?", s -> {
                    s.setString(1, connectorId);
                    s.setInt(2, limit);
                }, rs -> rs.getLong(1));
    }

    public Optional<DeadLetterRow> deadLetter(String connectorId, long id) throws SQLException {
        return Sql.queryOne(dataSource, "SELECT " + DEAD_LETTER_COLUMNS + " FROM connector_dead_letter "
                + "WHERE connector_id = ? AND id = ?", s -> {
                    s.setString(1, connectorId);
                    s.setLong(2, id);
                }, ConnectorStore::deadLetterRow);
    }

    /**
     * Closes an open letter ({@code replayed} or {@code discarded}).
     *
     * @return whether it was open
     */
    public boolean resolve(String connectorId, long id, String status, String resolvedBy) throws SQLException {
        return Sql.update(dataSource, "UPDATE connector_dead_letter SET status = ?, resolved_by = ?, updated_at = ? "
                + "WHERE connector_id = ? AND id = ? AND status = 'open'", s -> {
                    s.setString(1, status);
                    s.setString(2, resolvedBy);
                    s.setTimestamp(3, Timestamp.from(clock.instant()));
                    s.setString(4, connectorId);
                    s.setLong(5, id);
                }) == 1;
    }

    /** Open letters per connector (connectors without any are absent). */
    public Map<String, Long> openDeadLetterCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        for (Object[] row : Sql.query(dataSource, "SELECT connector_id, count(*) FROM connector_dead_letter "
                + "WHERE status = 'open' GROUP BY connector_id", s -> { }, rs -> new Object[] {rs.getString(1),
                    rs.getLong(2)})) {
            counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }

    // ---- purges ----

    /** What a dead letter erased by a purge says after its reason. */
    public static final String PAYLOAD_ERASED = "payload erased by a purge";

    /**
     * Forgets every connector's copies of a ledger record's values, for a purge of it, in the purge's
     * own database transaction ({@code LedgerStore}): the system fields its links keep as last read or
     * written (the next whole record from the system is then taken in as new, and the next write sends
     * the whole record), and the payloads of its dead letters, those naming the record or a system
     * record linked to it. A letter stays, whatever its status, with its reason followed by
     * {@value #PAYLOAD_ERASED}; its payload keeps only what says what it was (direction, object, ids,
     * versions), never a field, and marks it {@code "erased": true} (an inbound one cannot be replayed).
     * The system's names of the purged fields are not known here, so all of a record's copies go.
     */
    public static void forgetRecord(Connection c, String recordType, String recordId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE connector_record_link SET system_state = NULL "
                + "WHERE record_type = ? AND record_id = ? AND system_state IS NOT NULL")) {
            s.setString(1, recordType);
            s.setString(2, recordId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE connector_dead_letter d SET "
                + "payload = (d.payload - 'fields') || '{\"erased\": true}'::jsonb, "
                + "reason = d.reason || ' (' || ? || ')' WHERE d.payload -> 'erased' IS NULL "
                + "AND ((d.record_type = ? AND d.record_id = ?) OR EXISTS (SELECT 1 FROM connector_record_link l "
                + "WHERE l.connector_id = d.connector_id AND l.object = d.object AND l.external_id = d.external_id "
                + "AND l.record_type = ? AND l.record_id = ?))")) {
            s.setString(1, PAYLOAD_ERASED);
            s.setString(2, recordType);
            s.setString(3, recordId);
            s.setString(4, recordType);
            s.setString(5, recordId);
            s.executeUpdate();
        }
    }

    private static DeadLetterRow deadLetterRow(ResultSet rs) throws SQLException {
        return new DeadLetterRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getInt(11),
                rs.getString(12), instant(rs, 13), instant(rs, 14), rs.getString(15));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
