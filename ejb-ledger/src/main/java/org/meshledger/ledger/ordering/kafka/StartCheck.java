package org.meshledger.ledger.ordering.kafka;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * At start, before the node reads or writes the order log: is this the log its ledger was built
 * from? In order: the cluster id ({@link LogStartException.Reason#CLUSTER_CHANGED}), the topic's
 * presence and id ({@link LogStartException.Reason#TOPIC_MISSING},
 * {@link LogStartException.Reason#TOPIC_RECREATED}), the topic's settings
 * ({@link UnsafeTopicException}), and the last record the node's last block consumed: the log must
 * still hold that offset ({@link LogStartException.Reason#OFFSET_MISSING}: truncated, deleted, or the
 * log ends before it) with the same bytes ({@link LogStartException.Reason#MESSAGE_CHANGED}). A
 * fresh node (nothing expected) creates the topic if it is missing and allowed to.
 *
 * <p>Runs on the caller's thread; each Kafka call is bounded by {@link OrderLogSettings#adminTimeout()}
 * and throws {@link OrderLogUnavailableException} when Kafka does not answer (that is not a
 * verdict: the node may try again).
 */
public final class StartCheck {

    private static final Logger LOG = Logger.getLogger(StartCheck.class.getName());

    private final OrderLogSettings settings;
    private final Admin admin;
    private final OrderTopic topic;

    public StartCheck(OrderLogSettings settings, Admin admin) {
        this.settings = settings;
        this.admin = admin;
        this.topic = new OrderTopic(settings, admin);
    }

    /**
     * @return the log's identity, for the node to store with its ledger
     * @throws LogStartException when the log is not the one expected
     * @throws UnsafeTopicException when the topic's settings could lose or rewrite data
     */
    public LogIdentity check(ExpectedLog expected) {
        String clusterId = get(admin.describeCluster().clusterId(), "read the cluster id");
        if (expected.clusterId() != null && !expected.clusterId().equals(clusterId)) {
            throw new LogStartException(LogStartException.Reason.CLUSTER_CHANGED, "the node's ledger was built from "
                    + "Kafka cluster " + expected.clusterId() + ", but " + settings.bootstrapServers() + " is cluster "
                    + clusterId + ". Point the node at the network's cluster (MESHLEDGER_ORDER_BOOTSTRAP_SERVERS)");
        }
        TopicDescription description = topic.describe().orElse(null);
        if (description == null) {
            if (expected.topicId() != null || expected.last() != null) {
                throw new LogStartException(LogStartException.Reason.TOPIC_MISSING, "the order topic "
                        + settings.topic() + " (id " + expected.topicId() + "), from which the node's ledger was built, "
                        + "is gone from cluster " + clusterId + ". Restore it, or rebuild this node from the network");
            }
            if (!settings.createTopic()) {
                throw new OrderLogUnavailableException("The order topic " + settings.topic() + " does not exist and "
                        + "the node does not create topics; create it with the settings of docs/network.md");
            }
            description = topic.create();
        }
        String topicId = description.topicId().toString();
        if (expected.topicId() != null && !expected.topicId().equals(topicId)) {
            throw new LogStartException(LogStartException.Reason.TOPIC_RECREATED, "the order topic " + settings.topic()
                    + " has id " + topicId + ", not " + expected.topicId() + " from which the node's ledger was "
                    + "built: it was deleted and created again, and the old log is gone. Restore the old topic, or "
                    + "rebuild this node from the network");
        }
        topic.check(description);
        if (expected.last() != null) {
            checkLast(expected.last());
        }
        LOG.info("Order log " + settings.topic() + " (topic " + topicId + ", cluster " + clusterId + ") checked"
                + (expected.last() == null ? "" : " up to " + expected.last()));
        return new LogIdentity(clusterId, topicId);
    }

    private void checkLast(LogPosition last) {
        TopicPartition partition = new TopicPartition(settings.topic(), 0);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = get(admin.listOffsets(
                Map.of(partition, OffsetSpec.earliest())).all(), "read the log's start");
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = get(admin.listOffsets(
                Map.of(partition, OffsetSpec.latest())).all(), "read the log's end");
        long start = earliest.get(partition).offset();
        long end = latest.get(partition).offset();
        if (last.offset() < start || last.offset() >= end) {
            throw offsetMissing(last, "the log holds offsets " + start + " to " + (end - 1));
        }
        byte[] value = read(partition, last.offset());
        if (value == null) {
            throw offsetMissing(last, "no record is at that offset");
        }
        if (!MessageDigest.isEqual(OrderLogFollower.sha256(value), last.valueSha256())) {
            throw new LogStartException(LogStartException.Reason.MESSAGE_CHANGED, "the record at offset " + last.offset()
                    + " of " + settings.topic() + " is not the one the node's last block consumed (" + last
                    + "): the log was rewritten. Do not start this node on it; compare with the other nodes");
        }
    }

    private LogStartException offsetMissing(LogPosition last, String why) {
        return new LogStartException(LogStartException.Reason.OFFSET_MISSING, "the node's last block consumed offset "
                + last.offset() + " of " + settings.topic() + ", but " + why + ": the log lost records the ledger was "
                + "built from. Do not start this node on it; restore the log or rebuild this node from the network");
    }

    /** The value of the record at {@code offset}, or null when the log holds none there (a gap). */
    private byte[] read(TopicPartition partition, long offset) {
        try (Consumer<byte[], byte[]> consumer = KafkaConfigs.withApplicationClassLoader(() -> new KafkaConsumer<>(
                KafkaConfigs.consumer(settings, "meshledger-order-start-check"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()))) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + settings.adminTimeout().toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.offset() == offset ? record.value() : null;
                }
            }
        } catch (org.apache.kafka.common.errors.InvalidOffsetException e) {
            return null;
        }
        throw new OrderLogUnavailableException("Could not read offset " + offset + " of " + settings.topic()
                + " within " + settings.adminTimeout().toSeconds() + " s; check that Kafka runs");
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(settings.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OrderLogUnavailableException("Could not " + what + " of " + settings.topic() + ": Kafka ("
                    + settings.bootstrapServers() + ") did not answer within " + settings.adminTimeout().toSeconds()
                    + " s; check that it runs and the node can reach it", e);
        } catch (ExecutionException e) {
            throw new OrderLogUnavailableException("Could not " + what + " of " + settings.topic() + ": "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrderLogUnavailableException("Interrupted while checking the order log", e);
        }
    }
}
