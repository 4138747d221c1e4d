package org.meshledger.ledger.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.meshledger.ledger.admission.AdmissionLimits;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.schema.InputLimits;

/**
 * The ledger's settings, through MicroProfile Config (an environment variable overrides each, e.g.
 * {@code MESHLEDGER_NETWORK_FILE}); the defaults are in the EAR library's
 * {@code META-INF/microprofile-config.properties}.
 */
final class LedgerSettings {

    private LedgerSettings() {
    }

    /** The network definition file, or empty for the demo network packaged with the node. */
    static Optional<Path> networkFile() {
        return config().getOptionalValue("meshledger.network.file", String.class)
                .filter(s -> !s.isBlank()).map(Path::of);
    }

    /**
     * Which node of a network of nodes this one is ({@code meshledger.node.id}); empty in a network
     * of one node.
     */
    static Optional<String> nodeId() {
        return config().getOptionalValue("meshledger.node.id", String.class).map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    static BlockPolicy blockPolicy() {
        Config config = config();
        return new BlockPolicy(
                config.getOptionalValue("meshledger.ledger.block.max-transactions", Integer.class)
                        .orElse(BlockPolicy.DEFAULT.maxTransactions()),
                Duration.ofMillis(config.getOptionalValue("meshledger.ledger.block.max-wait-ms", Long.class)
                        .orElse(BlockPolicy.DEFAULT.maxWait().toMillis())),
                config.getOptionalValue("meshledger.ledger.queue-capacity", Integer.class)
                        .orElse(BlockPolicy.DEFAULT.queueCapacity()));
    }

    /** What one request and one record may hold ({@code meshledger.limits.*}; docs/security.md). */
    static InputLimits inputLimits() {
        Config config = config();
        InputLimits d = InputLimits.DEFAULT;
        return new InputLimits(
                config.getOptionalValue("meshledger.limits.max-operations", Integer.class).orElse(d.maxOperations()),
                config.getOptionalValue("meshledger.limits.max-text-length", Integer.class).orElse(d.maxTextLength()),
                config.getOptionalValue("meshledger.limits.max-indexed-text-length", Integer.class)
                        .orElse(d.maxIndexedTextLength()),
                config.getOptionalValue("meshledger.limits.max-record-bytes", Integer.class).orElse(d.maxRecordBytes()),
                config.getOptionalValue("meshledger.limits.max-depth", Integer.class).orElse(d.maxDepth()),
                config.getOptionalValue("meshledger.limits.max-request-bytes", Integer.class)
                        .orElse(d.maxRequestBytes()));
    }

    /**
     * How many proofs, exports and full verifications run at a time, on the node and per caller, and
     * how many a caller may start per minute ({@code meshledger.admission.<kind>.*}; docs/operations.md).
     */
    static Map<WorkKind, AdmissionLimits> admissionLimits() {
        Config config = config();
        Map<WorkKind, AdmissionLimits> limits = new EnumMap<>(WorkKind.class);
        for (WorkKind kind : WorkKind.values()) {
            AdmissionLimits d = AdmissionLimits.defaults(kind);
            String prefix = "meshledger.admission." + kind.key() + ".";
            limits.put(kind, new AdmissionLimits(
                    config.getOptionalValue(prefix + "node-limit", Integer.class).orElse(d.nodeLimit()),
                    config.getOptionalValue(prefix + "caller-limit", Integer.class).orElse(d.callerLimit()),
                    config.getOptionalValue(prefix + "caller-per-minute", Integer.class).orElse(d.callerPerMinute())));
        }
        return limits;
    }

    /** Where the node's signing key lives: configured, or in the server's data folder. */
    static Path signingKeyFile() {
        return config().getOptionalValue("meshledger.node.signing-key-file", String.class)
                .filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("jboss.server.data.dir", System.getProperty("user.dir")),
                        "meshledger", "node-signing-key.pem"));
    }

    /** Where the node's X25519 key lives (a node of a network of nodes): configured, or beside the signing key. */
    static Path encryptionKeyFile() {
        return config().getOptionalValue("meshledger.node.encryption-key-file", String.class)
                .filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> signingKeyFile().resolveSibling("node-encryption-key.pem"));
    }

    /**
     * The network's order log ({@code meshledger.order.*}; its Kafka cluster defaults to the events'
     * {@code meshledger.kafka.bootstrap-servers}), or empty if no Kafka is configured.
     */
    static Optional<org.meshledger.ledger.ordering.kafka.OrderLogSettings> orderLog(String networkId) {
        Config config = config();
        Optional<String> servers = config.getOptionalValue("meshledger.order.bootstrap-servers", String.class)
                .filter(s -> !s.isBlank())
                .or(() -> config.getOptionalValue("meshledger.kafka.bootstrap-servers", String.class)
                        .filter(s -> !s.isBlank()));
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        int replicas = config.getOptionalValue("meshledger.order.replication-factor", Integer.class).orElse(1);
        var settings = replicas >= 3 ? org.meshledger.ledger.ordering.kafka.OrderLogSettings.production(servers.get(),
                networkId) : org.meshledger.ledger.ordering.kafka.OrderLogSettings.demo(servers.get(), networkId);
        return Optional.of(settings);
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }
}
