package org.meshledger.ledger.ordering.kafka;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The order topic through Kafka's {@link Admin}: creates it with the order log's settings
 * ({@link #configs}) and checks an existing one, refusing ({@link UnsafeTopicException}) a topic
 * whose settings would lose or rewrite data. Used at start, on the caller's thread; every call is
 * bounded by {@link OrderLogSettings#adminTimeout()} and fails with
 * {@link OrderLogUnavailableException} when Kafka does not answer.
 */
public final class OrderTopic {

    private static final Logger LOG = Logger.getLogger(OrderTopic.class.getName());

    private final OrderLogSettings settings;
    private final Admin admin;

    public OrderTopic(OrderLogSettings settings, Admin admin) {
        this.settings = settings;
        this.admin = admin;
    }

    /** The settings the order log creates its topic with, and requires of an existing one. */
    public static Map<String, String> configs(OrderLogSettings settings) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(settings.topicMaxMessageBytes()));
    }

    /** The topic as Kafka describes it, or empty if there is none. */
    public Optional<TopicDescription> describe() {
        try {
            return Optional.of(get(admin.describeTopics(List.of(settings.topic())).allTopicNames()).get(settings.topic()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw unavailable("describe the order topic", e);
        }
    }

    /** Creates the topic with one partition and the order log's settings; waits until it has a leader. */
    public TopicDescription create() {
        LOG.info("Creating the order topic " + settings.topic() + " (replication factor "
                + settings.replicationFactor() + ", " + configs(settings) + ")");
        try {
            get(admin.createTopics(List.of(new NewTopic(settings.topic(), 1, settings.replicationFactor())
                    .configs(configs(settings)))).all());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw unavailable("create the order topic", e);
            }
            // Another node created it meanwhile: it is checked like any existing topic.
        }
        long deadline = System.nanoTime() + settings.adminTimeout().toNanos();
        while (true) {
            Optional<TopicDescription> topic = describe();
            if (topic.isPresent() && topic.get().partitions().stream().allMatch(p -> p.leader() != null
                    && !p.leader().isEmpty())) {
                return topic.get();
            }
            if (System.nanoTime() > deadline) {
                throw new OrderLogUnavailableException("The order topic " + settings.topic() + " has no leader "
                        + settings.adminTimeout().toSeconds() + " s after it was created; check the Kafka cluster");
            }
            sleep(100);
        }
    }

    /** Refuses the topic if its settings could lose or rewrite data ({@link UnsafeTopicException}). */
    public void check(TopicDescription topic) {
        Config config;
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
        try {
            config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        } catch (ExecutionException e) {
            throw unavailable("read the order topic's settings", e);
        }
        Map<UnsafeTopicException.Problem, String> problems = problems(topic.partitions().size(),
                topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0), config.entries());
        if (!problems.isEmpty()) {
            throw new UnsafeTopicException(settings.topic(), problems);
        }
    }

    /** What is wrong with a topic of these partitions, replicas (of its least replicated partition) and settings. */
    Map<UnsafeTopicException.Problem, String> problems(int partitions, int replicas, Collection<ConfigEntry> entries) {
        Map<String, String> values = new java.util.HashMap<>();
        entries.forEach(entry -> values.put(entry.name(), entry.value()));
        Map<UnsafeTopicException.Problem, String> problems = new EnumMap<>(UnsafeTopicException.Problem.class);
        if (partitions != 1) {
            problems.put(UnsafeTopicException.Problem.PARTITIONS, partitions + " partitions, not 1");
        }
        if (!"-1".equals(values.get(TopicConfig.RETENTION_MS_CONFIG))) {
            problems.put(UnsafeTopicException.Problem.TIME_RETENTION, "retention.ms="
                    + values.get(TopicConfig.RETENTION_MS_CONFIG) + ", not -1");
        }
        if (!"-1".equals(values.get(TopicConfig.RETENTION_BYTES_CONFIG))) {
            problems.put(UnsafeTopicException.Problem.SIZE_RETENTION, "retention.bytes="
                    + values.get(TopicConfig.RETENTION_BYTES_CONFIG) + ", not -1");
        }
        if (!TopicConfig.CLEANUP_POLICY_DELETE.equals(values.get(TopicConfig.CLEANUP_POLICY_CONFIG))) {
            problems.put(UnsafeTopicException.Problem.COMPACTION, "cleanup.policy="
                    + values.get(TopicConfig.CLEANUP_POLICY_CONFIG) + ", not delete");
        }
        if (!"false".equals(values.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG))) {
            problems.put(UnsafeTopicException.Problem.UNCLEAN_ELECTION, "unclean.leader.election.enable="
                    + values.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG) + ", not false");
        }
        if (!"LogAppendTime".equals(values.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG))) {
            problems.put(UnsafeTopicException.Problem.CREATE_TIME, "message.timestamp.type="
                    + values.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG) + ", not LogAppendTime");
        }
        if (replicas < settings.replicationFactor()) {
            problems.put(UnsafeTopicException.Problem.REPLICATION, replicas + " replicas, fewer than "
                    + settings.replicationFactor());
        }
        if (intOf(values.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)) < settings.minInsyncReplicas()) {
            problems.put(UnsafeTopicException.Problem.MIN_INSYNC_REPLICAS, "min.insync.replicas="
                    + values.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG) + ", fewer than "
                    + settings.minInsyncReplicas());
        }
        if (intOf(values.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) < settings.topicMaxMessageBytes()) {
            problems.put(UnsafeTopicException.Problem.MESSAGE_SIZE, "max.message.bytes="
                    + values.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG) + ", less than "
                    + settings.topicMaxMessageBytes());
        }
        return problems;
    }

    private static int intOf(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(settings.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OrderLogUnavailableException("Kafka (" + settings.bootstrapServers() + ") did not answer within "
                    + settings.adminTimeout().toSeconds() + " s; check that it runs and the node can reach it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrderLogUnavailableException("Interrupted while talking to Kafka", e);
        }
    }

    private OrderLogUnavailableException unavailable(String what, ExecutionException e) {
        return new OrderLogUnavailableException("Could not " + what + " " + settings.topic() + " on "
                + settings.bootstrapServers() + ": " + e.getCause(), e.getCause());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrderLogUnavailableException("Interrupted while waiting for the order topic", e);
        }
    }
}
