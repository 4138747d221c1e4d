package org.meshledger.ledger.events.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.meshledger.ledger.events.EventSettings;

/** The client settings every Kafka client of the node starts from. */
final class KafkaClients {

    private KafkaClients() {
    }

    static Map<String, Object> common(EventSettings settings, String clientId) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // While the broker is away, try again at most every few seconds rather than every second.
        config.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 4_000);
        return config;
    }

    /**
     * Kafka's clients find their pluggable classes (serializers, partitioners) through the thread's
     * context class loader; inside the application server that must be the application's.
     */
    static <T> T withApplicationClassLoader(java.util.function.Supplier<T> create) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaClients.class.getClassLoader());
        try {
            return create.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
