package org.meshledger.persistence.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * The event outbox ({@code outbox_block}): one row per committed block, written with it; the block's
 * record versions are its events. The relay reads the blocks not yet published, oldest first, and
 * marks them published once the broker has every event of them.
 */
public final class OutboxStore {

    /** What waits to be published: how many blocks, and since when the oldest. */
    public record Backlog(long blocks, Instant oldestSince) {

        public Duration age(Instant now) {
            return oldestSince == null ? Duration.ZERO : Duration.between(oldestSince, now);
        }
    }

    /**
     * What a run of blocks committed, as what carries changes out of the node reads it.
     *
     * @param versions the record versions in the order they were applied
     * @param previous for each record, the version before its first one in {@code versions}
     * @param transactions the headers of the transactions that wrote them
     */
    public record BlockChanges(List<RecordVersionRow> versions, Map<RecordKey, RecordVersionRow> previous,
            Map<UUID, TransactionRow> transactions) {
    }

    /** Commit → published, over the blocks published in a period: percentiles in milliseconds. */
    public record Freshness(long blocks, double p50Millis, double p99Millis) {
    }

    private final DataSource dataSource;
    private final LedgerStore store;

    public OutboxStore(DataSource dataSource, LedgerStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /** The heights of the oldest unpublished blocks, in order, as many as hold at most {@code maxTransactions} (at least one). */
    public List<Long> unpublished(int limit, int maxTransactions) throws SQLException {
        return upTo(maxTransactions, store.queryList("SELECT o.block_height, b.tx_count FROM outbox_block o "
                + "JOIN ledger_block b ON b.height = o.block_height WHERE o.published_at IS NULL "
                + "ORDER BY o.block_height LIMIT ?", s -> s.setInt(1, limit), rs -> new long[] {rs.getLong(1), rs.getLong(2)}));
    }

    /**
     * The heights of the blocks after {@code height}, in order, as many as hold at most
     * {@code maxTransactions} (at least one): what a reader that keeps its own position (a connector)
     * takes next.
     */
    public List<Long> blocksAfter(long height, int limit, int maxTransactions) throws SQLException {
        return upTo(maxTransactions, store.queryList("SELECT height, tx_count FROM ledger_block WHERE height > ? "
                + "ORDER BY height LIMIT ?", s -> {
                    s.setLong(1, height);
                    s.setInt(2, limit);
                }, rs -> new long[] {rs.getLong(1), rs.getLong(2)}));
    }

    /** The first blocks (height, transactions) that hold at most {@code maxTransactions}, at least one. */
    private static List<Long> upTo(int maxTransactions, List<long[]> blocks) {
        List<Long> taken = new java.util.ArrayList<>();
        long transactions = 0;
        for (long[] block : blocks) {
            transactions += block[1];
            if (!taken.isEmpty() && transactions > maxTransactions) {
                break;
            }
            taken.add(block[0]);
        }
        return taken;
    }

    /** The versions blocks {@code from..to} wrote, each with its predecessor and its transaction. */
    public BlockChanges changesOfBlocks(long from, long to) throws SQLException {
        List<RecordVersionRow> versions = versionsOfBlocks(from, to);
        if (versions.isEmpty()) {
            return new BlockChanges(List.of(), Map.of(), Map.of());
        }
        Set<UUID> txIds = versions.stream().map(RecordVersionRow::txId).collect(Collectors.toSet());
        return new BlockChanges(versions, previousVersions(versions), store.transactionHeaders(txIds));
    }

    /**
     * The record versions written by blocks {@code from..to}, in the order they were applied (block,
     * transaction, then record): a record's versions come in version order.
     */
    public List<RecordVersionRow> versionsOfBlocks(long from, long to) throws SQLException {
        return store.queryList("SELECT " + LedgerStore.V_VERSION_COLUMNS + " FROM record_version v "
                + "JOIN ledger_transaction t ON t.tx_id = v.tx_id "
                + "WHERE v.block_height BETWEEN ? AND ? ORDER BY v.block_height, t.position, v.record_type, "
                + "v.record_id, v.version", s -> {
                    s.setLong(1, from);
                    s.setLong(2, to);
                }, LedgerStore::version);
    }

    /**
     * For each record of these versions, the version before its first one here (none for a record
     * created here): with the versions themselves, every version's predecessor.
     */
    public Map<RecordKey, RecordVersionRow> previousVersions(Collection<RecordVersionRow> versions) throws SQLException {
        Map<RecordKey, RecordVersionRow> first = new HashMap<>();
        versions.forEach(v -> first.merge(v.key(), v, (a, b) -> a.version() <= b.version() ? a : b));
        List<RecordVersionRow> later = first.values().stream().filter(v -> v.version() > 1).toList();
        Map<RecordKey, RecordVersionRow> previous = new HashMap<>();
        if (later.isEmpty()) {
            return previous;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + LedgerStore.VERSION_COLUMNS + " FROM record_version WHERE (record_type, record_id, version) "
                        + "IN (SELECT * FROM unnest(?::text[], ?::text[], ?::int[]))")) {
            s.setArray(1, c.createArrayOf("text", later.stream().map(RecordVersionRow::type).toArray()));
            s.setArray(2, c.createArrayOf("text", later.stream().map(RecordVersionRow::id).toArray()));
            s.setArray(3, c.createArrayOf("integer", later.stream().map(v -> v.version() - 1).toArray()));
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    RecordVersionRow row = LedgerStore.version(rs);
                    previous.put(row.key(), row);
                }
            }
        }
        return previous;
    }

    public void markPublished(long from, long to, Instant publishedAt) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE outbox_block SET published_at = ? WHERE block_height BETWEEN ? AND ? AND published_at IS NULL")) {
            s.setTimestamp(1, Timestamp.from(publishedAt));
            s.setLong(2, from);
            s.setLong(3, to);
            s.executeUpdate();
        }
    }

    public Backlog backlog() throws SQLException {
        return store.queryList("SELECT count(*), min(created_at) FROM outbox_block WHERE published_at IS NULL",
                s -> { }, rs -> new Backlog(rs.getLong(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant())).get(0);
    }

    /** How soon after their commit the blocks published since {@code since} were out. */
    public Freshness freshness(Instant since) throws SQLException {
        return store.queryList("SELECT count(*), "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)), "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)) "
                + "FROM outbox_block WHERE published_at >= ?",
                s -> s.setTimestamp(1, Timestamp.from(since)),
                rs -> new Freshness(rs.getLong(1), rs.getDouble(2) * 1000, rs.getDouble(3) * 1000)).get(0);
    }
}
