package org.meshledger.persistence.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * The node's position in its network's order log ({@code order_position}, one row) and the batches
 * its blocks took ({@code order_batch}). Written with each block ({@link #write(Connection,
 * OrderWrite)}, called by the ledger store in the block's transaction); read at start and by the
 * cutter.
 */
public final class OrderPositionStore {

    /** The stored position: what the node expects of the log at its next start. */
    public record OrderPosition(String clusterId, String topicId, long nextHeight, java.time.Instant lastBlockTime,
            long lastOffset, byte[] lastValueSha256) {
    }

    private final DataSource dataSource;

    public OrderPositionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<OrderPosition> read() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT cluster_id, topic_id, next_height, last_block_time, "
                        + "last_offset, last_value_sha256 FROM order_position");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new OrderPosition(rs.getString(1), rs.getString(2), rs.getLong(3),
                    rs.getTimestamp(4).toInstant(), rs.getLong(5), rs.getBytes(6)));
        }
    }

    public boolean taken(String node, UUID batchId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM order_batch WHERE node = ? AND batch_id = ?")) {
            s.setString(1, node);
            s.setObject(2, batchId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Stores the position after a cut block that wrote no ledger block, in a transaction of its own. */
    public void advance(OrderWrite order) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                write(c, order);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** Writes the position and the taken batches on a connection whose transaction the caller commits. */
    public static void write(Connection c, OrderWrite order) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO order_position (singleton, cluster_id, topic_id, "
                + "next_height, last_block_time, last_offset, last_value_sha256) VALUES (TRUE, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (singleton) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, topic_id = EXCLUDED.topic_id, "
                + "next_height = EXCLUDED.next_height, last_block_time = EXCLUDED.last_block_time, "
                + "last_offset = EXCLUDED.last_offset, last_value_sha256 = EXCLUDED.last_value_sha256")) {
            s.setString(1, order.clusterId());
            s.setString(2, order.topicId());
            s.setLong(3, order.nextHeight());
            s.setTimestamp(4, Timestamp.from(order.lastBlockTime()));
            s.setLong(5, order.lastOffset());
            s.setBytes(6, order.lastValueSha256());
            s.executeUpdate();
        }
        if (order.batches().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO order_batch (node, batch_id, cut_height) "
                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (OrderWrite.TakenBatch batch : order.batches()) {
                s.setString(1, batch.node());
                s.setObject(2, batch.batchId());
                s.setLong(3, order.cutHeight());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
