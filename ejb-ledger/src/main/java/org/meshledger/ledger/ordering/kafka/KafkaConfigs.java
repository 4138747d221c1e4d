package org.meshledger.ledger.ordering.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The Kafka client settings of the order log (explained in {@link OrderLogSettings} and docs/network-kafka.md). */
final class KafkaConfigs {

    private KafkaConfigs() {
    }

    static Map<String, Object> common(OrderLogSettings settings, String clientId) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // While the broker is away, try again at most every two seconds.
        config.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        return config;
    }

    static Map<String, Object> admin(OrderLogSettings settings, String clientId) {
        Map<String, Object> config = common(settings, clientId);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.adminTimeout().toMillis());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.adminTimeout().toMillis());
        return config;
    }

    static Map<String, Object> producer(OrderLogSettings settings, String clientId) {
        Map<String, Object> config = common(settings, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, settings.maxInFlightRequests());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.topicMaxMessageBytes());
        // Batch payloads are sealed (encrypted): compression would gain nothing.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return config;
    }

    static Map<String, Object> consumer(OrderLogSettings settings, String clientId) {
        Map<String, Object> config = common(settings, clientId);
        // No group: the node assigns itself the partition and keeps its position with its ledger.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never jump: a position the log no longer holds is an error (OFFSET_MISSING), not a reset.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // Nothing on the order topic is transactional; read_committed would stall behind a transaction
        // someone opened on it. Every node reads the same way, so every node sees the same records.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        int fetch = Math.max(settings.topicMaxMessageBytes(), 1 << 20);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetch);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(fetch, 50 << 20));
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.adminTimeout().toMillis());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.adminTimeout().toMillis());
        return config;
    }

    /**
     * Kafka's clients find their pluggable classes through the thread's context class loader; inside
     * the application server that must be the application's.
     */
    static <T> T withApplicationClassLoader(Supplier<T> create) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaConfigs.class.getClassLoader());
        try {
            return create.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
