package org.meshledger.ledger.events;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.meshledger.ledger.identity.PartyId;

/**
 * Where the node's events go: the Kafka cluster, the topic names and the client settings, through
 * MicroProfile Config (environment variables {@code MESHLEDGER_KAFKA_*}; docs/events.md). Without
 * bootstrap servers the node publishes nothing and its events wait in the outbox.
 *
 * @param bootstrapServers the cluster, or null when events are off
 * @param topicPrefix what every topic name starts with ({@code meshledger.<network>.} unless set)
 * @param partitions partitions of each topic the node creates
 * @param createTopics whether the node creates missing topics (off where an operator makes them)
 * @param topicConfig topic settings for topics the node creates (e.g. {@code retention.ms=-1})
 * @param clientProperties further client settings (security.protocol, sasl.*), from a properties file
 */
public record EventSettings(String bootstrapServers, String topicPrefix, int partitions, boolean createTopics,
        Map<String, String> topicConfig, Map<String, String> clientProperties) {

    /** Keep every event: a party that joins later rebuilds its state from the start of its topic. */
    public static final Map<String, String> DEFAULT_TOPIC_CONFIG = Map.of("retention.ms", "-1");

    public EventSettings {
        topicConfig = Map.copyOf(topicConfig);
        clientProperties = Map.copyOf(clientProperties);
    }

    public boolean enabled() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /** The committed changes a party may read (its consumers are given this topic alone). */
    public String recordsTopic(PartyId party) {
        return topicPrefix + party.value() + ".records";
    }

    /** Where a party's systems produce transactions to submit. */
    public String inboundTopic(PartyId party) {
        return topicPrefix + party.value() + ".inbound";
    }

    /** Where the party's inbound messages that were not committed go, with the reason. */
    public String deadLetterTopic(PartyId party) {
        return topicPrefix + party.value() + ".inbound.dead-letter";
    }

    public static EventSettings fromConfig(String networkId) {
        Config config = ConfigProvider.getConfig();
        String servers = config.getOptionalValue("meshledger.kafka.bootstrap-servers", String.class).orElse(null);
        String prefix = config.getOptionalValue("meshledger.kafka.topic-prefix", String.class)
                .orElse("meshledger." + networkId + ".");
        int partitions = config.getOptionalValue("meshledger.kafka.partitions", Integer.class).orElse(3);
        boolean create = config.getOptionalValue("meshledger.kafka.create-topics", Boolean.class).orElse(true);
        Map<String, String> topicConfig = config.getOptionalValue("meshledger.kafka.topic-config", String.class)
                .map(EventSettings::pairs).orElse(DEFAULT_TOPIC_CONFIG);
        Map<String, String> client = config.getOptionalValue("meshledger.kafka.client-config", String.class)
                .filter(s -> !s.isBlank()).map(Path::of).map(EventSettings::properties).orElse(Map.of());
        return new EventSettings(servers, prefix, partitions, create, topicConfig, client);
    }

    /** "a=1,b=2" as a map. */
    static Map<String, String> pairs(String text) {
        Map<String, String> pairs = new TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("MESHLEDGER_KAFKA_TOPIC_CONFIG: '" + pair.trim()
                        + "' is not name=value");
            }
            pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return pairs;
    }

    private static Map<String, String> properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("MESHLEDGER_KAFKA_CLIENT_CONFIG: cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }
}
