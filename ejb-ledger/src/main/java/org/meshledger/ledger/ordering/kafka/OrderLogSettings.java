package org.meshledger.ledger.ordering.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a node reaches the network's order log and what it expects of it. Two starting points:
 * {@link #demo} (one broker: replication factor 1, min ISR 1) and {@link #production} (a cluster of
 * at least three brokers, in three racks or zones when there are: replication factor 3, min ISR 2,
 * so a write is acknowledged by at least two brokers and the topic stays writable with one broker
 * down; with two down it refuses writes rather than keep a single copy; unclean leader election is
 * off, so a replica that missed writes never becomes leader).
 *
 * <p>The topic's settings ({@link OrderTopic#configs}): one partition (one total order), nothing
 * ever deleted or compacted ({@code cleanup.policy=delete}, {@code retention.ms=-1},
 * {@code retention.bytes=-1}), {@code unclean.leader.election.enable=false},
 * {@code message.timestamp.type=LogAppendTime} (block times come from the broker, not from the
 * sending node), {@code min.insync.replicas}, and {@code max.message.bytes} sized for the largest
 * message plus Kafka's record overhead.
 *
 * <p>The producer ({@link OrderPublisher}): {@code acks=all}, idempotence on, at most
 * {@code maxInFlightRequests} (1 by default, at most 5 as idempotence requires), no transactions, and
 * bounded waits: a write the cluster does not acknowledge within {@code deliveryTimeout} fails (the
 * caller answers 503; the batch may still be appended, and publishing it again with the same batch
 * id is safe), and a write never blocks its caller longer than {@code maxBlock} for metadata or
 * buffer space.
 *
 * @param bootstrapServers the brokers, {@code host:port,...}
 * @param topic the order topic, one per network ({@link #topicName})
 * @param replicationFactor replicas of the topic when the node creates it; an existing topic with fewer is refused
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}; an existing topic with fewer is refused
 * @param maxMessageBytes the largest order message (the network's limit, the same as the codec's on every node)
 * @param deliveryTimeout how long a write may take before it fails (default 10 s)
 * @param requestTimeout how long one request to a broker may take (default 5 s; at most {@code deliveryTimeout})
 * @param maxBlock how long a write may block its caller waiting for metadata or buffer (default 2 s)
 * @param maxInFlightRequests unacknowledged requests per connection (1..5; default 1, see KAFKA-15591)
 * @param pollTimeout how long the consumer loop waits in one poll (default 200 ms)
 * @param adminTimeout the bound of each admin call and of the start check's reads (default 10 s)
 * @param batchTimeout how long a pending block stays uncut, on this node's clock, before it asks
 *        for a cut (default 50 ms; {@link TimeToCutTimer})
 * @param createTopic whether the node creates the topic when it is missing and the node has no history
 * @param clientProperties further client settings (security.protocol, sasl.*, ssl.*), applied first
 */
public record OrderLogSettings(String bootstrapServers, String topic, short replicationFactor, int minInsyncReplicas,
        int maxMessageBytes, Duration deliveryTimeout, Duration requestTimeout, Duration maxBlock,
        int maxInFlightRequests, Duration pollTimeout, Duration adminTimeout, Duration batchTimeout,
        boolean createTopic, Map<String, String> clientProperties) {

    /** Room for Kafka's record batch header and record framing above the largest message. */
    static final int RECORD_OVERHEAD = 4096;

    public OrderLogSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        clientProperties = Map.copyOf(clientProperties);
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("Replication factor " + replicationFactor + " and min.insync.replicas "
                    + minInsyncReplicas + ": both at least 1, min ISR at most the replication factor");
        }
        if (maxInFlightRequests < 1 || maxInFlightRequests > 5) {
            throw new IllegalArgumentException("An idempotent producer keeps 1 to 5 requests in flight, not "
                    + maxInFlightRequests);
        }
        if (requestTimeout.compareTo(deliveryTimeout) > 0) {
            throw new IllegalArgumentException("The request timeout (" + requestTimeout
                    + ") must not exceed the delivery timeout (" + deliveryTimeout + ")");
        }
        for (String forbidden : new String[] {"transactional.id", "enable.idempotence", "acks", "isolation.level",
                "enable.auto.commit", "group.id"}) {
            if (clientProperties.containsKey(forbidden)) {
                throw new IllegalArgumentException(forbidden + " is fixed by the order log and may not be set");
            }
        }
    }

    /** The order topic of a network: {@code meshledger.<network>.order}. */
    public static String topicName(String networkId) {
        return "meshledger." + networkId + ".order";
    }

    /** One broker (the demo, tests): replication factor 1, min ISR 1. */
    public static OrderLogSettings demo(String bootstrapServers, String networkId) {
        return defaults(bootstrapServers, networkId, (short) 1, 1);
    }

    /** A cluster of three brokers or more: replication factor 3, min ISR 2. */
    public static OrderLogSettings production(String bootstrapServers, String networkId) {
        return defaults(bootstrapServers, networkId, (short) 3, 2);
    }

    private static OrderLogSettings defaults(String bootstrapServers, String networkId, short replicas, int minIsr) {
        return new OrderLogSettings(bootstrapServers, topicName(networkId), replicas, minIsr,
                OrderMessageCodec.DEFAULT_MAX_MESSAGE_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(2), 1, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMillis(50), true,
                Map.of());
    }

    /** The same with other write bounds. */
    public OrderLogSettings withWriteTimeouts(Duration delivery, Duration request, Duration block) {
        return new OrderLogSettings(bootstrapServers, topic, replicationFactor, minInsyncReplicas, maxMessageBytes,
                delivery, request, block, maxInFlightRequests, pollTimeout, adminTimeout, batchTimeout, createTopic,
                clientProperties);
    }

    /** The same on another topic. */
    public OrderLogSettings withTopic(String name) {
        return new OrderLogSettings(bootstrapServers, name, replicationFactor, minInsyncReplicas, maxMessageBytes,
                deliveryTimeout, requestTimeout, maxBlock, maxInFlightRequests, pollTimeout, adminTimeout,
                batchTimeout, createTopic, clientProperties);
    }

    /** The same with another time-to-cut timeout. */
    public OrderLogSettings withBatchTimeout(Duration timeout) {
        return new OrderLogSettings(bootstrapServers, topic, replicationFactor, minInsyncReplicas, maxMessageBytes,
                deliveryTimeout, requestTimeout, maxBlock, maxInFlightRequests, pollTimeout, adminTimeout, timeout,
                createTopic, clientProperties);
    }

    /** The topic's {@code max.message.bytes}: the largest message plus Kafka's overhead. */
    public int topicMaxMessageBytes() {
        return maxMessageBytes + RECORD_OVERHEAD;
    }
}
