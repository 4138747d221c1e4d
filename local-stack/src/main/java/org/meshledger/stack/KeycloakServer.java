package org.meshledger.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * Keycloak from its distribution in Maven Central, in development mode on loopback, with the
 * network's realm ({@value #REALM}) imported from {@code keycloak/mortgage-network-realm.json} on its
 * first start. Its data stays in its home folder between runs.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "mortgage-network";
    public static final String REALM_RESOURCE = "/keycloak/mortgage-network-realm.json";
    /** Demo credentials of the embedded stack's administration console. */
    public static final String DEMO_ADMIN_USER = "admin";
    public static final String DEMO_ADMIN_PASSWORD = "admin";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final ManagedProcess process;
    private final int port;

    private KeycloakServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param distribution the {@code keycloak-quarkus-dist} zip
     * @param home where it is unpacked and keeps its data
     * @param port the HTTP port (loopback)
     * @param realmEnvironment values for the placeholders of the realm file (ports, secrets)
     * @param log where its output goes
     */
    public static KeycloakServer start(Path distribution, Path home, int port, Map<String, String> realmEnvironment,
            Path log) {
        Ports.requireFree(port, "Keycloak", "MESHLEDGER_KEYCLOAK_PORT");
        try {
            KeycloakDistribution.unpack(distribution, home);
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
                Files.copy(realm, imports.resolve("mortgage-network-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            Path tmp = Files.createDirectories(home.resolve("tmp"));
            ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--import-realm");
            builder.directory(home.toFile());
            Map<String, String> env = builder.environment();
            env.putAll(realmEnvironment);
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", DEMO_ADMIN_USER);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD);
            env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            env.put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp);
            KeycloakServer server = new KeycloakServer(ManagedProcess.start("keycloak", builder, log), port);
            server.awaitRealm();
            return server;
        } catch (IOException e) {
            throw new StackException("Keycloak did not start: " + e.getMessage(), e);
        }
    }

    private void awaitRealm() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI discovery = URI.create(realmUrl() + "/.well-known/openid-configuration");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("Keycloak stopped while starting; its last output:\n" + process.tail(30));
            }
            HttpResponse<String> answer = Http.get(discovery);
            if (answer != null && answer.statusCode() == 200) {
                return;
            }
            Http.pause(Duration.ofMillis(500));
        }
        process.close();
        throw new StackException("Keycloak did not serve the realm within " + START_TIMEOUT.toMinutes()
                + " minutes; its last output:\n" + process.tail(30));
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The realm's issuer URL, the value of {@code MESHLEDGER_OIDC_PROVIDER_URL}. */
    public String realmUrl() {
        return baseUrl() + "/realms/" + REALM;
    }

    public Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
