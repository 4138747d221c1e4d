package org.meshledger.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.meshledger.connect.dynamics.FakeDataverse;
import org.meshledger.connect.salesforce.FakeSalesforce;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.meshledger.stack.EmbeddedDatabase;
import org.meshledger.stack.KafkaBroker;
import org.meshledger.stack.KeycloakServer;
import org.meshledger.stack.WildFlyServer;

/**
 * The suite's PostgreSQL, Keycloak and Kafka broker, started once before the first test class (and before
 * Arquillian starts WildFly) on the ports Maven reserved, and stopped after the last. The database
 * starts empty: the first boot of the server migrates it.
 */
public final class TestStack implements BeforeAllCallback {

    private static final Path WORK = Path.of(required("meshledger.it.work"));

    private static Suite suite;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(Suite.class, key -> start(),
                Suite.class);
    }

    private static synchronized Suite start() {
        if (suite == null) {
            suite = new Suite();
        }
        return suite;
    }

    /** What the suite started; JUnit closes it after the last test. */
    static final class Suite implements ExtensionContext.Store.CloseableResource {

        private EmbeddedDatabase database;
        private final KeycloakServer keycloak;
        private KafkaBroker kafka;
        private final FakeSalesforce salesforce;
        private final FakeDataverse dataverse;

        Suite() {
            try {
                // Every run starts from nothing (an empty database, a freshly imported realm); only the
                // unpacked binaries are kept, to save time.
                for (String stale : List.of("postgres/data", "keycloak/data", "kafka", "wildfly", "servers", "logs", "depot")) {
                    deleteRecursively(WORK.resolve(stale));
                }
                Files.createDirectories(WORK);
                WildFlyServer.copyBaseDirectory(serverHome(), WORK.resolve("wildfly"));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot prepare " + WORK + ": " + e.getMessage(), e);
            }
            database = startDatabase();
            keycloak = KeycloakServer.start(Path.of(required("meshledger.keycloak.dist")), WORK.resolve("keycloak"),
                    port("keycloak"), Map.of("MESHLEDGER_HTTP_PORT", String.valueOf(port("http"))),
                    WORK.resolve("logs/keycloak.log"));
            kafka = KafkaBroker.start(WORK.resolve("kafka"), port("kafka"), port("kafka.controller"),
                    WORK.resolve("logs/kafka.log"), Duration.ofMinutes(1));
            try {
                // The servicer's Salesforce and the loan owner's Dynamics 365 (connectors/suite-connectors.json).
                salesforce = FakeSalesforce.start(port("salesforce")).object("Payment__c", "MeshLedger_Id__c")
                        .object("Loan__c", "MeshLedger_Id__c");
                dataverse = FakeDataverse.start(port("dynamics")).table("new_payments", "new_paymentid",
                        "new_meshledgerid").table("new_loans", "new_loanid", "new_loannumber");
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start the CRM fakes: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            salesforce.close();
            dataverse.close();
            kafka.close();
            keycloak.close();
            database.close();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static EmbeddedDatabase startDatabase() {
        return EmbeddedDatabase.start(WORK.resolve("postgres/data"), WORK.resolve("postgres/binaries"), port("postgres"),
                WORK.resolve("logs/postgres.log"));
    }

    /** Stops the suite's PostgreSQL (its data stays), for tests of what happens without it. */
    static void stopDatabase() {
        suite.database.close();
    }

    /** Starts the suite's PostgreSQL again on its data and port. */
    static void restartDatabase() {
        suite.database = startDatabase();
    }

    /** Stops the suite's Kafka broker (its data stays), for tests of what happens without it. */
    static void stopKafka() {
        suite.kafka.close();
    }

    /** Starts the suite's Kafka broker again on its data and ports. */
    static void restartKafka() {
        suite.kafka = suite.kafka.restart(Duration.ofMinutes(1));
    }

    /** The servicer's Salesforce org (a fake speaking its APIs). */
    static FakeSalesforce salesforce() {
        return suite.salesforce;
    }

    /** The loan owner's Dynamics 365 environment (a fake speaking the Dataverse Web API). */
    static FakeDataverse dataverse() {
        return suite.dataverse;
    }

    static String kafkaBootstrapServers() {
        return "127.0.0.1:" + port("kafka");
    }

    static EmbeddedDatabase database() {
        return suite.database;
    }

    static KeycloakServer keycloak() {
        return suite.keycloak;
    }

    static Path serverHome() {
        return Path.of(required("meshledger.server.home"));
    }

    static Path work() {
        return WORK;
    }

    /** The portal's base URL, e.g. {@code http://127.0.0.1:8080}. */
    static String portalUrl() {
        return "http://127.0.0.1:" + port("http");
    }

    static String managementUrl() {
        return "http://127.0.0.1:" + port("management");
    }

    static int port(String name) {
        return Integer.parseInt(required("meshledger.it." + name + ".port"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests with Maven "
                    + "(./mvnw verify), which reserves the ports and points at the provisioned server");
        }
        return value;
    }
}
