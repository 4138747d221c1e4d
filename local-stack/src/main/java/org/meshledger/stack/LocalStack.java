package org.meshledger.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a whole MeshLedger node on this machine: PostgreSQL, Keycloak, Kafka and WildFly with the EAR, then
 * prints where to go and who to sign in as. Ctrl-C stops everything it started. Run it with
 * {@code ./mvnw -Prun package}.
 */
public final class LocalStack {

    private final StackSettings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile boolean stopping;

    private LocalStack(StackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws InterruptedException {
        LocalStack stack;
        try {
            stack = new LocalStack(StackSettings.from(System.getenv()));
        } catch (StackException e) {
            System.err.println("MeshLedger: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "meshledger-stop"));
        WildFlyServer server;
        try {
            server = stack.start();
        } catch (StackException e) {
            System.err.println();
            System.err.println("MeshLedger could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        int exit = server.waitFor();
        if (!stack.stopping) {
            System.err.println("WildFly stopped by itself (exit code " + exit + "); stopping the rest. Its log: "
                    + server.log());
            System.exit(1);
        }
    }

    private WildFlyServer start() {
        Path logs = settings.home().resolve("logs");
        Map<String, String> nodeEnvironment = new HashMap<>();
        say("MeshLedger local stack; data and logs in " + settings.home());

        if (settings.externalDatabaseUrl() == null) {
            say("Starting PostgreSQL on port " + settings.postgresPort() + " ...");
            EmbeddedDatabase database = EmbeddedDatabase.start(settings.home().resolve("postgres/data"),
                    settings.home().resolve("postgres/binaries"), settings.postgresPort(), logs.resolve("postgres.log"));
            started.push(database);
            nodeEnvironment.put("MESHLEDGER_DB_URL", database.jdbcUrl());
            // The node's signing key lives with its ledger, not in the server folder a build provisions anew.
            nodeEnvironment.putIfAbsent("MESHLEDGER_NODE_SIGNING_KEY_FILE",
                    settings.home().resolve("node/node-signing-key.pem").toString());
            nodeEnvironment.putIfAbsent("MESHLEDGER_DB_USER", EmbeddedDatabase.USER);
            nodeEnvironment.putIfAbsent("MESHLEDGER_DB_PASSWORD", EmbeddedDatabase.DEMO_PASSWORD);
        } else {
            say("Using the database at " + settings.externalDatabaseUrl());
        }

        KeycloakServer keycloak = null;
        if (settings.externalProviderUrl() == null) {
            say("Starting Keycloak on port " + settings.keycloakPort() + " (the first start takes a minute) ...");
            keycloak = KeycloakServer.start(settings.keycloakDistribution(), settings.home().resolve("keycloak"),
                    settings.keycloakPort(), Map.of("MESHLEDGER_HTTP_PORT", String.valueOf(settings.httpPort())),
                    logs.resolve("keycloak.log"));
            started.push(keycloak);
            nodeEnvironment.put("MESHLEDGER_OIDC_PROVIDER_URL", keycloak.realmUrl());
        } else {
            say("Using the identity provider at " + settings.externalProviderUrl());
        }

        KafkaBroker kafka = null;
        if (settings.externalKafka() == null) {
            say("Starting Kafka on port " + settings.kafkaPort() + " ...");
            kafka = KafkaBroker.start(settings.home().resolve("kafka"), settings.kafkaPort(), settings.kafkaPort() + 1,
                    logs.resolve("kafka.log"), Duration.ofMinutes(1));
            started.push(kafka);
            nodeEnvironment.put("MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        } else {
            say("Using the Kafka cluster at " + settings.externalKafka());
        }

        CrmFakes crms = null;
        if (settings.externalConnectorsFile() == null) {
            say("Starting the demo's CRMs (fakes of Salesforce on port " + settings.salesforceFakePort()
                    + " and Dynamics 365 on port " + settings.dynamicsFakePort() + ") ...");
            crms = CrmFakes.start(settings.home(), settings.salesforceFakePort(), settings.dynamicsFakePort());
            started.push(crms);
            nodeEnvironment.putAll(crms.nodeEnvironment());
        } else {
            say("Using the connectors of " + settings.externalConnectorsFile());
        }

        say("Starting WildFly with MeshLedger on port " + settings.httpPort() + " ...");
        WildFlyServer server = WildFlyServer.start(settings.serverHome(), null, settings.httpPort(),
                settings.managementPort(), nodeEnvironment, logs.resolve("wildfly.log"));
        started.push(server);
        server.awaitReady(Duration.ofMinutes(2));
        if (keycloak != null && settings.demoLoans() > 0) {
            say("Loading the demo mortgage network (" + settings.demoLoans() + " loans; MESHLEDGER_DEMO_LOANS=0 to skip, "
                    + "safe to load again) ...");
            long start = System.nanoTime();
            DemoLoader.Result loaded = new DemoLoader("http://localhost:" + settings.httpPort(), keycloak.realmUrl())
                    .load(settings.demoLoans(), DEMO_SEED, line -> say("  " + line));
            say(String.format("Demo network loaded in %.0f s: %d transactions, %d written, %d already there",
                    (System.nanoTime() - start) / 1e9, loaded.transactions(), loaded.written(), loaded.alreadyThere()));
        }
        printWelcome(server, keycloak, kafka, crms);
        if (crms != null && settings.crmActivitySeconds() > 0) {
            CrmActivity activity = new CrmActivity(crms, Duration.ofSeconds(settings.crmActivitySeconds()),
                    LocalStack::say);
            started.push(activity);
            activity.start();
        }
        return server;
    }

    /** The demo network's seed: the same loans every time. */
    static final long DEMO_SEED = 20261101L;

    private void printWelcome(WildFlyServer server, KeycloakServer keycloak, KafkaBroker kafka, CrmFakes crms) {
        String portal = "http://localhost:" + settings.httpPort() + "/";
        StringBuilder text = new StringBuilder();
        text.append("\n================================================================================\n");
        text.append(" MeshLedger is running\n\n");
        text.append("   Portal        ").append(portal).append('\n');
        text.append("   REST API      ").append(portal).append("api/me (bearer token)\n");
        text.append("   Health        ").append(server.managementUrl()).append("/health/ready\n");
        text.append("   Kafka         ").append(kafka == null ? settings.externalKafka() : kafka.bootstrapServers())
                .append("  (topics meshledger.mortgage-servicing.<party>.records / .inbound; docs/events.md)\n");
        text.append("   Data products ").append(portal).append("api/data-products, ").append(portal)
                .append("portal/data-products.xhtml\n");
        text.append("   Connectors    ").append(portal).append("portal/connectors.xhtml, ").append(portal)
                .append("api/connectors (docs/connectors.md)\n");
        if (crms != null) {
            text.append("   Salesforce    ").append(crms.salesforce().url())
                    .append("/_fake/records/Payment__c  (the servicer's org, a local fake)\n");
            text.append("   Dynamics 365  ").append(crms.dynamics().url())
                    .append("/_fake/records/new_payments  (the loan owner's, a local fake)\n");
            text.append("   File depot    ").append(crms.depot())
                    .append("  (the securitizer's: disclosures-*.csv in, securities out)\n");
        }
        if (keycloak != null) {
            text.append("   Keycloak      ").append(keycloak.baseUrl()).append("/admin  (")
                    .append(KeycloakServer.DEMO_ADMIN_USER).append(" / ").append(KeycloakServer.DEMO_ADMIN_PASSWORD)
                    .append(", demo only)\n\n");
            DemoRealm realm = DemoRealm.load();
            text.append(" Demo logins (password in brackets):\n");
            for (DemoRealm.DemoUser user : realm.users()) {
                text.append(String.format("   %-22s [%s]  %-12s %s%n", user.username(), user.password(), user.party(),
                        String.join(", ", user.roles())));
            }
            text.append("\n Systems (client credentials, token at ").append(keycloak.realmUrl())
                    .append("/protocol/openid-connect/token):\n");
            for (DemoRealm.DemoSystem system : realm.systems()) {
                text.append(String.format("   %-22s [%s]%n", system.clientId(), system.secret()));
            }
        }
        text.append("\n Logs in ").append(settings.home().resolve("logs")).append(". Press Ctrl-C to stop.\n");
        text.append("================================================================================\n");
        System.out.print(text);
        System.out.flush();
    }

    /** Stops what was started, newest first. */
    private synchronized void stop() {
        stopping = true;
        if (started.isEmpty()) {
            return;
        }
        say("Stopping MeshLedger ...");
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("  " + e.getMessage());
            }
        }
        say("Stopped.");
    }

    private static void say(String line) {
        System.out.println("[meshledger] " + line);
        System.out.flush();
    }
}
