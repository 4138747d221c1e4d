package org.meshledger.ledger.ordering.kafka;

import java.util.Map;

/**
 * The order topic exists with settings under which Kafka could lose or rewrite what it holds (or
 * refuse the network's messages): the node refuses to use it. The message names each setting and
 * what it must be; an operator fixes the topic ({@code kafka-configs.sh --alter}) or, for the
 * partition count, the network starts on a new topic.
 */
public final class UnsafeTopicException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A setting of the topic that the order log cannot live with. */
    public enum Problem {
        /** More than one partition: no total order. */
        PARTITIONS,
        /** {@code retention.ms} other than -1: Kafka deletes old messages. */
        TIME_RETENTION,
        /** {@code retention.bytes} other than -1: Kafka deletes old messages. */
        SIZE_RETENTION,
        /** {@code cleanup.policy} other than {@code delete}: compaction rewrites the log. */
        COMPACTION,
        /** {@code unclean.leader.election.enable=true}: a replica that missed writes may lead, and they are gone. */
        UNCLEAN_ELECTION,
        /** {@code message.timestamp.type=CreateTime}: block times would be what the sending node claims. */
        CREATE_TIME,
        /** Fewer replicas than configured. */
        REPLICATION,
        /** {@code min.insync.replicas} lower than configured: a write could be acknowledged by too few brokers. */
        MIN_INSYNC_REPLICAS,
        /** {@code max.message.bytes} below the network's message limit: batches would be refused. */
        MESSAGE_SIZE
    }

    private final transient Map<Problem, String> problems;

    public UnsafeTopicException(String topic, Map<Problem, String> problems) {
        super("The order topic " + topic + " has settings that could lose or rewrite the ledger's order (or refuse "
                + "its messages), so the node will not use it: " + String.join("; ", problems.values()) + ". Fix the topic's settings (or, for "
                + "partitions, start the network on a new topic) and start the node again");
        this.problems = Map.copyOf(problems);
    }

    /** Each problem with what it says about it. */
    public Map<Problem, String> problems() {
        return problems;
    }
}
