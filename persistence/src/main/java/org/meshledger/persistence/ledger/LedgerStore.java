package org.meshledger.persistence.ledger;

import java.sql.Array;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.meshledger.persistence.Sql;
import org.meshledger.persistence.connector.ConnectorStore;

/**
 * The ledger's tables, in SQL. Writing a block is one database transaction with batched inserts;
 * every read is one query. The domain (ejb-ledger) decides what to write; this class only stores
 * and finds rows.
 */
public class LedgerStore {

    static final String VERSION_COLUMNS = "record_type, record_id, version, operation, state::text, "
            + "owner_party, hash, tx_id, block_height, recorded_at, valid_from, salt, access::text, purged::text, "
            + "field_salts::text, withheld::text";
    /** The version columns of the row under alias {@code v}: what a list page joins back to. */
    static final String V_VERSION_COLUMNS = versionColumns("v");
    private static final String TX_COLUMNS = "tx_id, block_height, position, party, principal_kind, principal_name, "
            + "idempotency_key, status, reason_code, reason, recorded_at, valid_from, source_system, source_reference, "
            + "content::text, hash, versions::text";
    private static final String BLOCK_COLUMNS = "height, header::text, previous_hash, merkle_root, tx_count, block_time, "
            + "hash, ledger_root";

    private final DataSource dataSource;

    /** The version columns of the row under an alias. */
    private static String versionColumns(String alias) {
        return java.util.Arrays.stream(VERSION_COLUMNS.split(",\\s*")).map(c -> alias + "." + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public LedgerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes a block, its transactions, record versions, current state and outbox entry, all or
     * nothing, in one database transaction on a connection of its own.
     *
     * @throws BlockExistsException if the ledger already has a block at this height: nothing was written
     * @throws CommitOutcomeUnknownException if the commit was not confirmed: the block may be stored
     * @throws SQLException any other failure: nothing was written; {@link #refusesValues} tells
     *         whether the database refused a value of the block
     */
    public void append(BlockWrite write) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try {
                    insertBlock(c, write.block());
                } catch (SQLException e) {
                    throw UNIQUE_VIOLATION.equals(sqlState(e)) ? new BlockExistsException(write.block().height(), e) : e;
                }
                insertTransactions(c, write.transactions());
                insertVersions(c, write.versions());
                upsertCurrent(c, write.versions());
                applyPurges(c, write.purges());
                insertOutbox(c, write.block());
                if (write.order() != null) {
                    org.meshledger.persistence.network.OrderPositionStore.write(c, write.order());
                }
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                restore(c, autoCommit, e);
                throw e;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException(write.block().height(), e);
                restore(c, autoCommit, unknown);
                throw unknown;
            }
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Which of a block's transactions the database refuses to store. Tries the block's rows in one
     * database transaction that is always rolled back: the block's own row, then each transaction's
     * rows (its row, its record versions, their current state, its purges) in a savepoint of its own,
     * on top of those before it that could be stored. A transaction whose rows fail with a data error
     * ({@link #refusesValues}) is rolled back to its savepoint and named. Stores nothing; as slow as
     * one statement per transaction, so only for a block whose write was refused.
     *
     * @return the ids of the refused transactions, in the block's order (empty if each can be stored
     *         on its own)
     * @throws SQLException if the block cannot be tried (its own row is refused, the connection fails)
     */
    public List<UUID> refusedTransactions(BlockWrite write) throws SQLException {
        Map<UUID, List<RecordVersionRow>> versions = new HashMap<>();
        Map<RecordKey, Map<Integer, UUID>> writers = new HashMap<>();
        for (RecordVersionRow v : write.versions()) {
            versions.computeIfAbsent(v.txId(), id -> new ArrayList<>()).add(v);
            writers.computeIfAbsent(v.key(), key -> new HashMap<>()).put(v.version(), v.txId());
        }
        Map<UUID, List<PurgeWrite>> purges = new HashMap<>();
        for (PurgeWrite purge : write.purges()) {
            // A purge is made by the transaction that writes the version after those it erases.
            UUID txId = writers.getOrDefault(purge.key(), Map.of()).get(purge.upToVersion() + 1);
            purges.computeIfAbsent(txId, id -> new ArrayList<>()).add(purge);
        }
        List<UUID> refused = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                insertBlock(c, write.block());
                for (TransactionRow t : write.transactions()) {
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        insertTransactions(c, List.of(t));
                        List<RecordVersionRow> own = versions.getOrDefault(t.txId(), List.of());
                        insertVersions(c, own);
                        upsertCurrent(c, own);
                        applyPurges(c, purges.getOrDefault(t.txId(), List.of()));
                        c.releaseSavepoint(savepoint);
                    } catch (SQLException e) {
                        if (!refusesValues(e)) {
                            throw e;
                        }
                        c.rollback(savepoint);
                        refused.add(t.txId());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                restore(c, autoCommit, e);
                throw e;
            }
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return refused;
    }

    /**
     * Whether a failed write was refused for what it holds: a data exception (SQLState class 22: a
     * NUL character in a text, a value out of range), an integrity violation (23) other than an
     * existing block, or a program limit (54: a value too large for an index). Such a write fails
     * the same way every time, on every node. A lost connection (08), a server shutting down (57)
     * or out of resources (53) is no such refusal: the same write may succeed later.
     */
    public static boolean refusesValues(SQLException e) {
        if (e instanceof BlockExistsException || e instanceof CommitOutcomeUnknownException) {
            return false;
        }
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * A failure in a line for the log: its SQLState and the first line of the server's message,
     * without the statement (a batch's message repeats it with every value bound) nor the server's
     * detail (which may quote the values): the log must not hold a party's data.
     */
    public static String describe(SQLException e) {
        SQLException server = e;
        while (server instanceof BatchUpdateException && server.getNextException() != null) {
            server = server.getNextException();
        }
        String message = server instanceof BatchUpdateException || server.getMessage() == null
                ? server.getClass().getSimpleName() : server.getMessage().strip().lines().findFirst().orElse("");
        return "SQLState " + sqlState(e) + ": " + message;
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /** The SQLState of a failure: a batch's names the statement that failed in its next exception. */
    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException();
                if (next != null && next.getSQLState() != null) {
                    return next.getSQLState();
                }
                if (sql.getSQLState() != null) {
                    return sql.getSQLState();
                }
            }
        }
        return null;
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void restore(Connection c, boolean autoCommit, Exception failure) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void insertBlock(Connection c, BlockRow b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_block (height, header, previous_hash, "
                + "merkle_root, tx_count, block_time, hash, ledger_root) VALUES (?, ?::jsonb, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, b.height());
            s.setString(2, b.header());
            s.setBytes(3, b.previousHash());
            s.setBytes(4, b.merkleRoot());
            s.setInt(5, b.txCount());
            s.setTimestamp(6, Timestamp.from(b.blockTime()));
            s.setBytes(7, b.hash());
            s.setBytes(8, b.ledgerRoot());
            s.executeUpdate();
        }
    }

    private static void insertTransactions(Connection c, List<TransactionRow> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_transaction (" + TX_COLUMNS.replace("::text", "")
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb)")) {
            for (TransactionRow t : rows) {
                s.setObject(1, t.txId());
                s.setLong(2, t.blockHeight());
                s.setInt(3, t.position());
                s.setString(4, t.party());
                s.setString(5, t.principalKind());
                s.setString(6, t.principalName());
                s.setString(7, t.idempotencyKey());
                s.setString(8, t.status());
                s.setString(9, t.reasonCode());
                s.setString(10, t.reason());
                s.setTimestamp(11, Timestamp.from(t.recordedAt()));
                setInstant(s, 12, t.validFrom());
                s.setString(13, t.sourceSystem());
                s.setString(14, t.sourceReference());
                s.setString(15, t.content());
                s.setBytes(16, t.hash());
                s.setString(17, t.versions());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static final String VERSION_INSERT_COLUMNS = "record_type, record_id, version, operation, state, "
            + "owner_party, hash, tx_id, block_height, recorded_at, valid_from, salt, access, field_salts, withheld";

    private static void insertVersions(Connection c, List<RecordVersionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO record_version (" + VERSION_INSERT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)")) {
            for (RecordVersionRow v : rows) {
                bindVersion(s, v);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The current row of each record the block touched becomes its last version in the block. */
    private static void upsertCurrent(Connection c, List<RecordVersionRow> rows) throws SQLException {
        Map<RecordKey, RecordVersionRow> latest = new LinkedHashMap<>();
        for (RecordVersionRow v : rows) {
            latest.merge(v.key(), v, (a, b) -> b.version() > a.version() ? b : a);
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO record_current (" + VERSION_INSERT_COLUMNS
                + ", deleted) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?) "
                + "ON CONFLICT (record_type, record_id) DO UPDATE SET "
                + "version = EXCLUDED.version, operation = EXCLUDED.operation, deleted = EXCLUDED.deleted, "
                + "state = EXCLUDED.state, owner_party = EXCLUDED.owner_party, hash = EXCLUDED.hash, "
                + "tx_id = EXCLUDED.tx_id, block_height = EXCLUDED.block_height, recorded_at = EXCLUDED.recorded_at, "
                + "valid_from = EXCLUDED.valid_from, salt = EXCLUDED.salt, access = EXCLUDED.access, "
                + "field_salts = EXCLUDED.field_salts, withheld = EXCLUDED.withheld")) {
            for (RecordVersionRow v : latest.values()) {
                bindVersion(s, v);
                s.setBoolean(16, v.deleted());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Erases the purged fields from each version up to the purge, keeping their salted hashes; the
     * versions are locked and rewritten in this block's transaction. The same transaction forgets
     * the copies the node keeps elsewhere: idempotency records naming the record, and the connectors'
     * system snapshots and dead-letter payloads of it ({@link ConnectorStore#forgetRecord}).
     */
    private static void applyPurges(Connection c, List<PurgeWrite> purges) throws SQLException {
        for (PurgeWrite purge : purges) {
            IdempotencyStore.forgetRecord(c, purge.key());
            ConnectorStore.forgetRecord(c, purge.key().type(), purge.key().id());
            List<RecordVersionRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM record_version "
                    + "WHERE record_type = ? AND record_id = ? AND version <= ? ORDER BY version FOR UPDATE")) {
                s.setString(1, purge.key().type());
                s.setString(2, purge.key().id());
                s.setInt(3, purge.upToVersion());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(version(rs));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE record_version SET state = (?::jsonb) - ?::text[], "
                    + "purged = ?::jsonb WHERE record_type = ? AND record_id = ? AND version = ?")) {
                Array fields = c.createArrayOf("text", purge.fields().toArray());
                for (RecordVersionRow row : rows) {
                    s.setString(1, row.state());
                    s.setArray(2, fields);
                    s.setString(3, purge.hashes().of(row, purge.fields()));
                    s.setString(4, row.type());
                    s.setString(5, row.id());
                    s.setInt(6, row.version());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    /** Binds a version to parameters 1..15 in the order of {@link #VERSION_INSERT_COLUMNS}. */
    private static void bindVersion(PreparedStatement s, RecordVersionRow v) throws SQLException {
        s.setString(1, v.type());
        s.setString(2, v.id());
        s.setInt(3, v.version());
        s.setString(4, v.operation());
        s.setString(5, v.state());
        s.setString(6, v.ownerParty());
        s.setBytes(7, v.hash());
        s.setObject(8, v.txId());
        s.setLong(9, v.blockHeight());
        s.setTimestamp(10, Timestamp.from(v.recordedAt()));
        s.setTimestamp(11, Timestamp.from(v.validFrom()));
        s.setBytes(12, v.salt());
        s.setString(13, v.access());
        s.setString(14, v.fieldSalts());
        s.setString(15, v.withheld());
    }

    private static void insertOutbox(Connection c, BlockRow block) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO outbox_block (block_height, created_at) VALUES (?, ?)")) {
            s.setLong(1, block.height());
            s.setTimestamp(2, Timestamp.from(block.blockTime()));
            s.executeUpdate();
        }
    }

    // ---- blocks ----

    public Optional<BlockRow> lastBlock() throws SQLException {
        return queryOne("SELECT " + BLOCK_COLUMNS + " FROM ledger_block ORDER BY height DESC LIMIT 1",
                s -> { }, LedgerStore::block);
    }

    public Optional<BlockRow> block(long height) throws SQLException {
        return queryOne("SELECT " + BLOCK_COLUMNS + " FROM ledger_block WHERE height = ?",
                s -> setLong(s, 1, height), LedgerStore::block);
    }

    /** The block that was last at or before a time, if any. */
    public Optional<BlockRow> blockAt(Instant time) throws SQLException {
        return queryOne("SELECT " + BLOCK_COLUMNS + " FROM ledger_block WHERE block_time <= ? ORDER BY height DESC LIMIT 1",
                s -> setInstant(s, 1, time), LedgerStore::block);
    }

    /** The hashes of blocks 1..upTo, in order: the leaves of the ledger's Merkle tree. */
    public List<byte[]> blockHashes(long upTo) throws SQLException {
        return queryList("SELECT hash FROM ledger_block WHERE height <= ? ORDER BY height",
                s -> setLong(s, 1, upTo), rs -> rs.getBytes(1));
    }

    /** Every block in order, one at a time (for full verification). */
    public void forEachBlock(SqlConsumer<BlockRow> action) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // lets the driver stream with a fetch size
            try (PreparedStatement s = c.prepareStatement("SELECT " + BLOCK_COLUMNS + " FROM ledger_block ORDER BY height")) {
                s.setFetchSize(500);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        action.accept(block(rs));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    // ---- transactions ----

    public Optional<TransactionRow> transaction(UUID txId) throws SQLException {
        return queryOne("SELECT " + TX_COLUMNS + " FROM ledger_transaction WHERE tx_id = ?",
                s -> s.setObject(1, txId), LedgerStore::transaction);
    }

    public Optional<TransactionRow> transactionByIdempotencyKey(String party, String key) throws SQLException {
        return queryOne("SELECT " + TX_COLUMNS + " FROM ledger_transaction WHERE party = ? AND idempotency_key = ?",
                s -> {
                    s.setString(1, party);
                    s.setString(2, key);
                }, LedgerStore::transaction);
    }

    /**
     * The transactions with these ids, by id, without their content (what lineage needs: who, when,
     * from where), so that a page of records does not read a page of transaction bodies.
     */
    public Map<UUID, TransactionRow> transactionHeaders(Collection<UUID> txIds) throws SQLException {
        Map<UUID, TransactionRow> found = new HashMap<>();
        if (txIds.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + TX_COLUMNS.replace("content::text", "NULL::text")
                        + " FROM ledger_transaction WHERE tx_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("uuid", txIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    TransactionRow row = transaction(rs);
                    found.put(row.txId(), row);
                }
            }
        }
        return found;
    }

    /**
     * The recorded transactions of a party with any of the given idempotency keys, in one query.
     *
     * @param keys party to its keys
     */
    public List<TransactionRow> transactionsByIdempotencyKeys(Map<String, ? extends Collection<String>> keys)
            throws SQLException {
        List<String> parties = new ArrayList<>();
        List<String> values = new ArrayList<>();
        keys.forEach((party, partyKeys) -> partyKeys.forEach(key -> {
            parties.add(party);
            values.add(key);
        }));
        if (parties.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + TX_COLUMNS + " FROM ledger_transaction "
                        + "WHERE (party, idempotency_key) IN (SELECT * FROM unnest(?::text[], ?::text[]))")) {
            s.setArray(1, c.createArrayOf("text", parties.toArray()));
            s.setArray(2, c.createArrayOf("text", values.toArray()));
            List<TransactionRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(transaction(rs));
                }
            }
            return rows;
        }
    }

    public List<TransactionRow> transactionsOfBlock(long height) throws SQLException {
        return queryList("SELECT " + TX_COLUMNS + " FROM ledger_transaction WHERE block_height = ? ORDER BY position",
                s -> setLong(s, 1, height), LedgerStore::transaction);
    }

    // ---- record versions ----

    /** The current rows of the given records that exist (deleted ones included, marked). */
    public Map<RecordKey, RecordVersionRow> current(Collection<RecordKey> keys) throws SQLException {
        Map<RecordKey, RecordVersionRow> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM record_current "
                        + "WHERE (record_type, record_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))")) {
            String[] types = keys.stream().map(RecordKey::type).toArray(String[]::new);
            String[] ids = keys.stream().map(RecordKey::id).toArray(String[]::new);
            Array typeArray = c.createArrayOf("text", types);
            Array idArray = c.createArrayOf("text", ids);
            s.setArray(1, typeArray);
            s.setArray(2, idArray);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    RecordVersionRow row = version(rs);
                    found.put(row.key(), row);
                }
            }
        }
        return found;
    }

    public Optional<RecordVersionRow> version(RecordKey key, int version) throws SQLException {
        return queryOne("SELECT " + VERSION_COLUMNS + " FROM record_version WHERE record_type = ? AND record_id = ? "
                + "AND version = ?", s -> {
                    s.setString(1, key.type());
                    s.setString(2, key.id());
                    s.setInt(3, version);
                }, LedgerStore::version);
    }

    /** Every version of a record, oldest first. */
    public List<RecordVersionRow> history(RecordKey key) throws SQLException {
        return queryList("SELECT " + VERSION_COLUMNS + " FROM record_version WHERE record_type = ? AND record_id = ? "
                + "ORDER BY version", s -> {
                    s.setString(1, key.type());
                    s.setString(2, key.id());
                }, LedgerStore::version);
    }

    public List<RecordVersionRow> versionsOfBlock(long height) throws SQLException {
        return queryList("SELECT " + VERSION_COLUMNS + " FROM record_version WHERE block_height = ? "
                + "ORDER BY record_type, record_id, version", s -> setLong(s, 1, height), LedgerStore::version);
    }

    /**
     * The version just before each version a block wrote, where there is one: what full
     * verification holds a version's operation against (a create follows no live version, a grant
     * keeps the state, ...).
     */
    public List<RecordVersionRow> previousVersionsOfBlock(long height) throws SQLException {
        return queryList("SELECT " + versionColumns("p") + " FROM record_version v "
                + "JOIN record_version p ON p.record_type = v.record_type AND p.record_id = v.record_id "
                + "AND p.version = v.version - 1 WHERE v.block_height = ?", s -> setLong(s, 1, height),
                LedgerStore::version);
    }

    /**
     * The version of a record in effect at a point of history: the last version the ledger knew
     * then, or, for a business time, the one valid then. Empty if none (or if that version deleted it).
     */
    public Optional<RecordVersionRow> versionAsOf(RecordKey key, AsOf asOf) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + VERSION_COLUMNS
                + " FROM record_version WHERE record_type = ? AND record_id = ?");
        List<Object> params = new ArrayList<>(List.of(key.type(), key.id()));
        knowledgeBounds(asOf, sql, params);
        sql.append(asOf.validAt() != null ? " ORDER BY valid_from DESC, version DESC LIMIT 1"
                : " ORDER BY version DESC LIMIT 1");
        Optional<RecordVersionRow> row = queryOne(sql.toString(), s -> bind(s, params), LedgerStore::version);
        return row.filter(v -> !v.deleted());
    }

    /**
     * A page of the records of a type at a point of history, filtered on state fields (containment:
     * every given field equals the given JSON value) and sorted.
     *
     * @param filter what the records must match
     * @param sharedWith only the records whose current access grants this party reading, or null for all
     * @param scope when not null, only the records in this scope, besides those shared with {@code sharedWith}
     */
    public Page list(String type, ListFilter filter, List<SortKey> sort, AsOf asOf, String sharedWith, RowScope scope,
            int offset, int limit) throws SQLException {
        List<Object> params = new ArrayList<>();
        String base = listBase(type, filter, asOf, sharedWith, scope, params);
        long total = queryOne("SELECT count(*) FROM (" + base + ") c", st -> bind(st, params), rs -> rs.getLong(1))
                .orElse(0L);
        // Ties broken by record id in the first key's direction, so one index gives the whole order.
        boolean descending = !sort.isEmpty() && sort.get(0).descending();
        StringBuilder order = new StringBuilder(" ORDER BY ");
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < sort.size(); i++) {
            SortKey key = sort.get(i);
            order.append(sortExpression(key)).append(key.descending() ? " DESC, " : " ASC, ");
            keys.append(", ").append(sortExpression(key)).append(" AS k").append(i);
        }
        order.append("record_id").append(descending ? " DESC" : " ASC");
        // First the page's keys alone (an index walk, however deep the page), then its rows.
        String page = "SELECT record_id, version" + keys + " FROM (" + base + ") p" + order + " LIMIT ? OFFSET ?";
        StringBuilder outerOrder = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < sort.size(); i++) {
            outerOrder.append("k.k").append(i).append(sort.get(i).descending() ? " DESC, " : " ASC, ");
        }
        outerOrder.append("k.record_id").append(descending ? " DESC" : " ASC");
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(offset);
        List<RecordVersionRow> rows = queryList("SELECT " + V_VERSION_COLUMNS + " FROM (" + page
                + ") k JOIN record_version v ON v.record_type = " + typeLiteral(type)
                + " AND v.record_id = k.record_id AND v.version = k.version" + outerOrder,
                st -> bind(st, pageParams), LedgerStore::version);
        return new Page(rows, total);
    }

    /**
     * The records a list (or a count) takes from, as SQL whose parameters are appended to
     * {@code params}; {@code state} stays jsonb inside.
     */
    private static String listBase(String type, ListFilter filter, AsOf asOf, String sharedWith, RowScope scope,
            List<Object> params) {
        String source;
        if (asOf.isNow()) {
            // The type as a literal (checked to be a name): the planner then matches the per-type
            // partial indexes (ensureListIndexes), which a bound parameter would hide from a generic plan.
            source = "SELECT " + VERSION_COLUMNS + " FROM record_current WHERE record_type = " + typeLiteral(type)
                    + " AND NOT deleted";
        } else {
            StringBuilder inner = new StringBuilder("SELECT DISTINCT ON (record_id) " + VERSION_COLUMNS
                    + " FROM record_version WHERE record_type = ?");
            params.add(type);
            knowledgeBounds(asOf, inner, params);
            inner.append(asOf.validAt() != null ? " ORDER BY record_id, valid_from DESC, version DESC"
                    : " ORDER BY record_id, version DESC");
            source = "SELECT * FROM (" + inner + ") latest WHERE state IS NOT NULL";
        }
        List<String> conditions = new ArrayList<>();
        if (filter.containment() != null) {
            conditions.add("state @> ?::jsonb");
            params.add(filter.containment());
        }
        for (Map.Entry<String, String> prefix : filter.prefixes().entrySet()) {
            // The pattern as a literal: only a known pattern lets the planner use a prefix index.
            conditions.add("lower(" + textOf(prefix.getKey()) + ") LIKE " + textLiteral(likeEscaped(prefix.getValue()
                    .toLowerCase(java.util.Locale.ROOT)) + "%") + " ESCAPE '\\'");
        }
        for (Map.Entry<String, List<String>> anyOf : filter.anyOf().entrySet()) {
            if (anyOf.getValue().isEmpty()) {
                conditions.add("false");
                continue;
            }
            conditions.add(textOf(anyOf.getKey()) + " IN (" + String.join(", ",
                    java.util.Collections.nCopies(anyOf.getValue().size(), "?")) + ")");
            params.addAll(anyOf.getValue());
        }
        List<String> visibility = new ArrayList<>();
        if (scope != null) {
            // In scope as the record now is, for a list of the present or of any point of history; a
            // list of the present takes its rows from the current state, so it asks them directly.
            visibility.add(asOf.isNow() ? scopeCondition(scope, 0, "r", params)
                    : "EXISTS (SELECT 1 FROM record_current s0 WHERE s0.record_type = r.record_type "
                            + "AND s0.record_id = r.record_id AND " + scopeCondition(scope, 0, "s0", params) + ")");
        }
        if (sharedWith != null && asOf.isNow()) {
            visibility.add("(r.access IS NOT NULL AND r.access->'read' @> jsonb_build_array(?::text))");
            params.add(sharedWith);
        } else if (sharedWith != null) {
            visibility.add("EXISTS (SELECT 1 FROM record_current g WHERE g.record_type = r.record_type "
                    + "AND g.record_id = r.record_id AND g.access->'read' @> jsonb_build_array(?::text))");
            params.add(sharedWith);
        }
        if (!visibility.isEmpty()) {
            conditions.add("(" + String.join(" OR ", visibility) + ")");
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String base = "SELECT * FROM (" + source.replace("state::text", "state").replace("access::text", "access")
                + ") r" + where;
        // (state stays jsonb inside, for the filter; the page query turns it into text)
        return base;
    }

    /**
     * How many of the records a list would take have each value of {@code field} (as text; null for
     * records without it); the field name was checked against the schema by the caller.
     */
    public Map<String, Long> countBy(String type, ListFilter filter, String field, String sharedWith, RowScope scope)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        String base = listBase(type, filter, AsOf.NOW, sharedWith, scope, params);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Object[] row : queryList("SELECT " + textOf(field) + " v, count(*) FROM (" + base + ") c GROUP BY v ORDER BY v",
                st -> bind(st, params), rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
            counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }

    /** Whether any of these records' current version was written by a block above {@code height}. */
    public boolean changedAfter(String type, Collection<String> ids, long height) throws SQLException {
        if (ids.isEmpty()) {
            return false;
        }
        List<Object> params = new ArrayList<>();
        params.add(type);
        params.addAll(ids);
        params.add(height);
        return queryOne("SELECT EXISTS (SELECT 1 FROM record_current WHERE record_type = ? AND record_id IN ("
                + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ") AND block_height > ?)",
                st -> bind(st, params), rs -> rs.getBoolean(1)).orElse(false);
    }

    /** Transactions per minute since {@code since}, by the time of their block; minutes without any are absent. */
    public Map<Instant, Long> transactionsPerMinute(Instant since) throws SQLException {
        Map<Instant, Long> counts = new LinkedHashMap<>();
        for (Object[] row : queryList("SELECT date_trunc('minute', block_time) m, sum(tx_count) FROM ledger_block "
                + "WHERE block_time >= ? GROUP BY m ORDER BY m", st -> setInstant(st, 1, since),
                rs -> new Object[] {instant(rs, 1), rs.getLong(2)})) {
            counts.put((Instant) row[0], (Long) row[1]);
        }
        return counts;
    }

    private static String sortExpression(SortKey key) {
        return key.numeric() ? "(" + textOf(key.field()) + ")::numeric" : textOf(key.field());
    }

    private static String typeLiteral(String type) {
        if (!type.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Not a record type name: " + type);
        }
        return "'" + type + "'";
    }

    /**
     * Refuses a database that reads backslashes in string literals as escapes: {@link #textLiteral}
     * doubles only quotes, which is safe only with {@code standard_conforming_strings} on (the
     * default since PostgreSQL 9.1; a server or role setting can turn it off).
     *
     * @throws IllegalStateException naming the setting
     */
    public void checkStandardConformingStrings() throws SQLException {
        String value = Sql.queryOne(dataSource, "SHOW standard_conforming_strings", s -> { }, rs -> rs.getString(1))
                .orElse("off");
        if (!value.equals("on")) {
            throw new IllegalStateException("The database has standard_conforming_strings = " + value + "; MeshLedger "
                    + "needs it on (ALTER DATABASE ... SET standard_conforming_strings = on)");
        }
    }

    /** A SQL string literal (standard-conforming strings, checked at start: only the quote is special). */
    private static String textLiteral(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Text with a NUL character");
        }
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Creates, if missing, the partial indexes that keep lists of a type fast however many records it
     * has: per field the lists filter, sort and search on ({@code x-indexes}), its value (as a number
     * for numeric fields) with the record id, and for text fields its lower-cased value for
     * starts-with searches. Each covers only the current, live records of its type, so a write
     * touches only its own type's indexes.
     *
     * @param fields field name to whether it is numeric
     */
    public void ensureListIndexes(String type, Map<String, Boolean> fields) throws SQLException {
        String literal = typeLiteral(type);
        try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            for (Map.Entry<String, Boolean> field : fields.entrySet()) {
                String value = textOf(field.getKey());
                String where = " WHERE record_type = " + literal + " AND NOT deleted";
                String name = indexName(type, field.getKey());
                st.execute("CREATE INDEX IF NOT EXISTS " + name + " ON record_current (("
                        + (field.getValue() ? value + "::numeric" : value) + "), record_id)" + where);
                if (!field.getValue()) {
                    st.execute("CREATE INDEX IF NOT EXISTS " + name + "_prefix ON record_current ((lower(" + value
                            + ")) text_pattern_ops)" + where);
                }
            }
        }
    }

    private static String indexName(String type, String field) {
        String name = ("list_" + type + "_" + field).toLowerCase(java.util.Locale.ROOT);
        // PostgreSQL names are at most 63 bytes (with room for the _prefix suffix).
        return name.length() <= 56 ? name : name.substring(0, 47) + "_" + Integer.toHexString(name.hashCode());
    }

    /** A field of the record (under {@code alias}, or unqualified for null), as text in SQL. */
    private static String fieldOf(String alias, String field) {
        if (!field.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Not a field name: " + field);
        }
        return "(" + (alias == null ? "" : alias + ".") + "state->>'" + field + "')";
    }

    /** A field's value as text in SQL; the field name was checked against the schema by the caller. */
    private static String textOf(String field) {
        if (field.equals(ListFilter.OWNER)) {
            return "owner_party";
        }
        return field.equals(ListFilter.ID) ? "record_id" : fieldOf(null, field);
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Whether the record is in the scope (taken as it currently is). */
    public boolean inScope(RecordKey key, RowScope scope) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(key.type());
        params.add(key.id());
        String condition = scopeCondition(scope, 0, "r", params);
        return queryOne("SELECT EXISTS (SELECT 1 FROM record_current r WHERE r.record_type = ? AND r.record_id = ? "
                + "AND " + condition + ")", s -> bind(s, params), rs -> rs.getBoolean(1)).orElse(false);
    }

    /**
     * The SQL condition that record {@code alias} is in the scope from step {@code from} on; each
     * related record is a current, undeleted one, found by a subquery (parameters appended in order).
     */
    private static String scopeCondition(RowScope scope, int from, String alias, List<Object> params) {
        RowScope.Step step = scope.steps().get(from);
        // Field names and types inline (checked to be names): the expressions then match the
        // schema's list indexes.
        String field = fieldOf(alias, step.field());
        if (from == scope.steps().size() - 1) {
            if (scope.anchor() == null) {
                return "FALSE";
            }
            params.add(scope.anchor());
            return field + " = ?";
        }
        String next = "s" + (from + 1);
        StringBuilder sql = new StringBuilder();
        String nextField = fieldOf(next, step.field());
        if (step.reverse()) {
            sql.append(alias).append(".record_id IN (SELECT ").append(nextField).append(" FROM record_current ")
                    .append(next);
        } else {
            sql.append(field).append(" IN (SELECT ").append(next).append(".record_id FROM record_current ")
                    .append(next);
        }
        sql.append(" WHERE ").append(next).append(".record_type = ").append(typeLiteral(step.type())).append(" AND NOT ")
                .append(next).append(".deleted AND ");
        sql.append(scopeCondition(scope, from + 1, next, params)).append(")");
        return sql.toString();
    }

    /** A record whose retention ran out: which of the fields it holds (in any version), since when. */
    public record Expiring(String id, List<String> fields, Instant startedAt) {
    }

    /** The fields among {@code ?::text[]} held by any version of record {@code r}. */
    private static final String HELD_FIELDS = "(SELECT array_agg(DISTINCT k ORDER BY k) FROM record_version h, "
            + "jsonb_object_keys(h.state) k WHERE h.record_type = r.record_type AND h.record_id = r.record_id "
            + "AND k = ANY (?::text[]))";

    /**
     * The owner's records of a type that hold (in any version) one of {@code fields}, recorded
     * before {@code cutoff}: retention "after recorded".
     */
    public List<Expiring> recordedBefore(String type, String owner, List<String> fields, Instant cutoff, int limit)
            throws SQLException {
        return queryList("SELECT r.record_id, " + HELD_FIELDS + ", min(v.recorded_at) FROM record_current r "
                + "JOIN record_version v ON v.record_type = r.record_type AND v.record_id = r.record_id "
                + "WHERE r.record_type = ? AND r.owner_party = ? AND v.state ??| ?::text[] "
                + "GROUP BY r.record_type, r.record_id HAVING min(v.recorded_at) < ? ORDER BY 1 LIMIT ?", s -> {
                    Array held = s.getConnection().createArrayOf("text", fields.toArray());
                    s.setArray(1, held);
                    s.setString(2, type);
                    s.setString(3, owner);
                    s.setArray(4, held);
                    s.setTimestamp(5, Timestamp.from(cutoff));
                    s.setInt(6, limit);
                }, LedgerStore::expiring);
    }

    /**
     * The owner's records of a type that hold (in any version) one of {@code fields} and whose
     * linked event records all hold one of {@code values} in {@code eventField}, the last of them
     * recorded so before {@code cutoff}: retention "after an event".
     *
     * @param link how an event record is linked: null (the record itself), a field of the record
     *        holding the event record's key, or (reverse) the event record's field holding this key
     */
    public List<Expiring> eventBefore(String type, String owner, List<String> fields, String eventType,
            RowScope.Step link, String eventField, List<String> values, Instant cutoff, int limit) throws SQLException {
        String on = link == null ? "e.record_id = r.record_id"
                : link.reverse() ? "e.state->>(?::text) = r.record_id" : "e.record_id = r.state->>(?::text)";
        String sql = "SELECT r.record_id, " + HELD_FIELDS + ", max(e.recorded_at) FROM record_current r "
                + "JOIN record_current e ON e.record_type = ? AND NOT e.deleted AND " + on
                + " WHERE r.record_type = ? AND r.owner_party = ? "
                + "AND EXISTS (SELECT 1 FROM record_version v WHERE v.record_type = r.record_type "
                + "AND v.record_id = r.record_id AND v.state ??| ?::text[]) GROUP BY r.record_type, r.record_id "
                + "HAVING bool_and(e.state->>(?::text) = ANY (?::text[])) AND max(e.recorded_at) < ? ORDER BY 1 LIMIT ?";
        return queryList(sql, s -> {
            Array held = s.getConnection().createArrayOf("text", fields.toArray());
            int i = 1;
            s.setArray(i++, held);
            s.setString(i++, eventType);
            if (link != null) {
                s.setString(i++, link.field());
            }
            s.setString(i++, type);
            s.setString(i++, owner);
            s.setArray(i++, held);
            s.setString(i++, eventField);
            s.setArray(i++, s.getConnection().createArrayOf("text", values.toArray()));
            s.setTimestamp(i++, Timestamp.from(cutoff));
            s.setInt(i, limit);
        }, LedgerStore::expiring);
    }

    private static Expiring expiring(ResultSet rs) throws SQLException {
        return new Expiring(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()), instant(rs, 3));
    }

    /** A page of records and how many match in all. */
    public record Page(List<RecordVersionRow> rows, long total) {
    }

    private static void knowledgeBounds(AsOf asOf, StringBuilder sql, List<Object> params) {
        if (asOf.height() != null) {
            sql.append(" AND block_height <= ?");
            params.add(asOf.height());
        }
        if (asOf.recordedAt() != null) {
            sql.append(" AND recorded_at <= ?");
            params.add(Timestamp.from(asOf.recordedAt()));
        }
        if (asOf.validAt() != null) {
            sql.append(" AND valid_from <= ?");
            params.add(Timestamp.from(asOf.validAt()));
        }
    }

    /**
     * The columns of a current row that differ from its latest version, as SQL giving their names
     * ({@code l}: the latest version, {@code c}: the current row). The current row's {@code deleted}
     * flag must be what its version's missing state says.
     */
    private static final String DIFFERING_CURRENT_COLUMNS = differingCurrentColumns();

    private static String differingCurrentColumns() {
        List<String> cases = new ArrayList<>();
        for (String column : List.of("version", "operation", "state", "owner_party", "hash", "tx_id", "block_height",
                "recorded_at", "valid_from", "salt", "access", "purged", "field_salts", "withheld")) {
            cases.add("CASE WHEN l." + column + " IS DISTINCT FROM c." + column + " THEN '" + column + "' END");
        }
        cases.add("CASE WHEN c.deleted IS DISTINCT FROM (l.state IS NULL) THEN 'deleted' END");
        return "array_remove(ARRAY[" + String.join(", ", cases) + "], NULL)";
    }

    /**
     * Records whose current row does not match their latest version in any column a read serves (or
     * that have versions but no current row, or the reverse): what full verification reports as a
     * tampered current state.
     */
    public List<StateMismatch> currentStateMismatches(int limit) throws SQLException {
        return queryList("SELECT * FROM (SELECT coalesce(c.record_type, l.record_type) record_type, "
                + "coalesce(c.record_id, l.record_id) record_id, c.record_id IS NULL no_current, "
                + "l.record_id IS NULL no_versions, " + DIFFERING_CURRENT_COLUMNS + " differing "
                + "FROM record_current c FULL JOIN (SELECT DISTINCT ON (record_type, record_id) * FROM record_version "
                + "ORDER BY record_type, record_id, version DESC) l "
                + "ON l.record_type = c.record_type AND l.record_id = c.record_id) m "
                + "WHERE no_current OR no_versions OR cardinality(differing) > 0 ORDER BY 1, 2 LIMIT ?",
                s -> s.setInt(1, limit), rs -> new StateMismatch(new RecordKey(rs.getString(1), rs.getString(2)),
                        rs.getBoolean(3), rs.getBoolean(4), List.of((String[]) rs.getArray(5).getArray())));
    }

    /**
     * The transactions whose hashed content records a purge, in chain order, with their content:
     * what full verification holds each purged field of a version against. Rows outside the chain
     * are included, so that verification can tell that they are.
     */
    public List<TransactionRow> purgeTransactions() throws SQLException {
        return queryList("SELECT " + TX_COLUMNS + " FROM ledger_transaction WHERE content ?? 'purges' "
                + "ORDER BY block_height, position", s -> { }, LedgerStore::transaction);
    }

    // ---- plumbing ----

    /** A consumer that may throw SQLException. */
    @FunctionalInterface
    public interface SqlConsumer<T> {
        void accept(T value) throws SQLException;
    }

    interface Binder extends Sql.Binder {
    }

    interface RowMapper<T> extends Sql.RowMapper<T> {
    }

    private <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        List<T> rows = queryList(sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    <T> List<T> queryList(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        return Sql.query(dataSource, sql, binder, mapper);
    }

    private static void bind(PreparedStatement s, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            s.setObject(i + 1, params.get(i));
        }
    }

    private static void setLong(PreparedStatement s, int index, long value) throws SQLException {
        s.setLong(index, value);
    }

    private static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setTimestamp(index, Timestamp.from(value));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static BlockRow block(ResultSet rs) throws SQLException {
        return new BlockRow(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4), rs.getInt(5),
                instant(rs, 6), rs.getBytes(7), rs.getBytes(8));
    }

    private static TransactionRow transaction(ResultSet rs) throws SQLException {
        return new TransactionRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                instant(rs, 11), instant(rs, 12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getBytes(16),
                rs.getString(17));
    }

    static RecordVersionRow version(ResultSet rs) throws SQLException {
        return new RecordVersionRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBytes(7), rs.getObject(8, UUID.class), rs.getLong(9), instant(rs, 10),
                instant(rs, 11), rs.getBytes(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16));
    }
}
