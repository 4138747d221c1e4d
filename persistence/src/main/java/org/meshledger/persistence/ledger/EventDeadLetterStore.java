package org.meshledger.persistence.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.meshledger.persistence.Sql;

/**
 * Events the relay could not publish because the broker or the producer refused them for themselves
 * ({@code event_dead_letter}): which event, of which block, for which party, and why; never the
 * event's data (the record version in the ledger rebuilds it, and a purge leaves nothing behind
 * here). The relay writes a letter before it marks the event's block published, and leaves out the
 * events already dead-lettered when it publishes a block again. Safe to use from any thread.
 */
public final class EventDeadLetterStore {

    /** A reason longer than this is cut: it names the refusal, never the event's data. */
    static final int MAX_REASON = 1_000;

    /** One refused event. */
    public record Letter(String party, String recordType, String recordId, int recordVersion, String eventId,
            long blockHeight, String reason) {
    }

    /**
     * The open letters: how many, and the newest (null when there is none).
     *
     * @param last "{party} {event id} (block {height}): {reason}"
     */
    public record Summary(long open, String last, Instant lastAt) {
    }

    private final DataSource dataSource;

    public EventDeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the letters; an event already dead-lettered for the party is left as it is. */
    public void record(List<Letter> letters, Instant at) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO event_dead_letter (party, record_type, record_id, record_version, event_id, block_height, "
                        + "reason, dead_lettered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (party, event_id) DO NOTHING")) {
            for (Letter letter : letters) {
                s.setString(1, letter.party());
                s.setString(2, letter.recordType());
                s.setString(3, letter.recordId());
                s.setInt(4, letter.recordVersion());
                s.setString(5, letter.eventId());
                s.setLong(6, letter.blockHeight());
                s.setString(7, letter.reason().length() > MAX_REASON
                        ? letter.reason().substring(0, MAX_REASON) + "…" : letter.reason());
                s.setTimestamp(8, Timestamp.from(at));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * The events of blocks {@code from..to} that are dead-lettered (open or resolved), as
     * {@link #key(String, String)}: what publishing these blocks again leaves out.
     */
    public Set<String> eventsOfBlocks(long from, long to) throws SQLException {
        return new HashSet<>(Sql.query(dataSource, "SELECT party, event_id FROM event_dead_letter "
                + "WHERE block_height BETWEEN ? AND ?", s -> {
                    s.setLong(1, from);
                    s.setLong(2, to);
                }, rs -> key(rs.getString(1), rs.getString(2))));
    }

    public static String key(String party, String eventId) {
        return party + "\u0000" + eventId;
    }

    public Summary summary() throws SQLException {
        long open = Sql.queryOne(dataSource, "SELECT count(*) FROM event_dead_letter WHERE resolved_at IS NULL",
                s -> { }, rs -> rs.getLong(1)).orElse(0L);
        if (open == 0) {
            return new Summary(0, null, null);
        }
        return Sql.queryOne(dataSource, "SELECT party, event_id, block_height, reason, dead_lettered_at "
                + "FROM event_dead_letter WHERE resolved_at IS NULL ORDER BY id DESC LIMIT 1", s -> { },
                rs -> new Summary(open, rs.getString(1) + " " + rs.getString(2) + " (block " + rs.getLong(3) + "): "
                        + rs.getString(4), rs.getTimestamp(5).toInstant())).orElse(new Summary(0, null, null));
    }

    /**
     * Marks a party's letter resolved (the event was published again, or the party does not need
     * it): it no longer counts as open.
     *
     * @return whether an open letter was resolved
     */
    public boolean resolve(String party, String eventId, String by, Instant at) throws SQLException {
        return Sql.update(dataSource, "UPDATE event_dead_letter SET resolved_at = ?, resolved_by = ? "
                + "WHERE party = ? AND event_id = ? AND resolved_at IS NULL", s -> {
                    s.setTimestamp(1, Timestamp.from(at));
                    s.setString(2, by);
                    s.setString(3, party);
                    s.setString(4, eventId);
                }) == 1;
    }
}
