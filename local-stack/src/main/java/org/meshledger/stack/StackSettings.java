package org.meshledger.stack;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the local stack runs, from environment variables (see the README). Setting
 * {@code MESHLEDGER_DB_URL}, {@code MESHLEDGER_OIDC_PROVIDER_URL} or
 * {@code MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS} points the node at an external PostgreSQL, Keycloak or
 * Kafka, and the stack does not start its own; {@code MESHLEDGER_CONNECTORS_FILE} gives the node your
 * connectors instead of the demo's (and its CRM fakes).
 */
record StackSettings(Path home, Path serverHome, Path keycloakDistribution, int httpPort, int managementPort,
        int postgresPort, int keycloakPort, int kafkaPort, String externalDatabaseUrl, String externalProviderUrl,
        String externalKafka, int demoLoans, String externalConnectorsFile, int salesforceFakePort, int dynamicsFakePort,
        int crmActivitySeconds) {

    /** How many loans the demo network has unless {@code MESHLEDGER_DEMO_LOANS} says otherwise (0: none). */
    static final int DEMO_LOANS = 2000;

    static StackSettings from(Map<String, String> env) {
        return new StackSettings(
                Path.of(env.getOrDefault("MESHLEDGER_HOME", System.getProperty("meshledger.home", "local-stack/work")))
                        .toAbsolutePath().normalize(),
                Path.of(System.getProperty("meshledger.server.home", "ear/target/server")).toAbsolutePath().normalize(),
                System.getProperty("meshledger.keycloak.dist") == null ? null
                        : Path.of(System.getProperty("meshledger.keycloak.dist")),
                port(env, "MESHLEDGER_HTTP_PORT", 8080),
                port(env, "MESHLEDGER_MANAGEMENT_PORT", 9990),
                port(env, "MESHLEDGER_PG_PORT", 15432),
                port(env, "MESHLEDGER_KEYCLOAK_PORT", 8180),
                number(env, "MESHLEDGER_KAFKA_PORT", 9092, 1, 65534, "a port number (1-65534; its controller takes the next)"),
                env.get("MESHLEDGER_DB_URL"),
                env.get("MESHLEDGER_OIDC_PROVIDER_URL"),
                env.get("MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS"),
                count(env, "MESHLEDGER_DEMO_LOANS", DEMO_LOANS),
                env.get("MESHLEDGER_CONNECTORS_FILE"),
                port(env, "MESHLEDGER_SALESFORCE_FAKE_PORT", 8280),
                port(env, "MESHLEDGER_DYNAMICS_FAKE_PORT", 8281),
                number(env, "MESHLEDGER_DEMO_CRM_ACTIVITY", 30, 0, 86_400, "seconds between the demo CRM users' "
                        + "changes (0: none)"));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 1, 65535, "a port number (1-65535)");
    }

    private static int count(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 0, 1_000_000, "a number of loans (0 to 1000000)");
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StackException(name + " must be " + what + ", not '" + value + "'");
    }
}
