package org.meshledger.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The provisioned WildFly (ear/target/server) with the EAR deployed, as its own process. Optionally
 * on a separate base folder, so that a second server with another configuration can run from the
 * same installation.
 */
public final class WildFlyServer implements AutoCloseable {

    /** WildFly's messages for "started" and "started with errors". */
    private static final String STARTED = "WFLYSRV0025";
    private static final String STARTED_WITH_ERRORS = "WFLYSRV0026";
    private static final String MESHLEDGER_START_FAILURE = "MeshLedger cannot start:";
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

    private final ManagedProcess process;
    private final int httpPort;
    private final int managementPort;

    private WildFlyServer(ManagedProcess process, int httpPort, int managementPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts the server and waits until it has booted (successfully or not: see {@link #bootFailure()}).
     *
     * @param home the provisioned server
     * @param baseDirectory a copy of its {@code standalone} folder to run on, or {@code null} for its own
     * @param environment the MeshLedger settings (MESHLEDGER_DB_URL, ...) for this server
     */
    public static WildFlyServer start(Path home, Path baseDirectory, int httpPort, int managementPort,
            Map<String, String> environment, Path log) {
        if (!Files.isRegularFile(home.resolve("bin/standalone.sh"))) {
            throw new StackException("No provisioned WildFly at " + home + ": build it with ./mvnw package");
        }
        Ports.requireFree(httpPort, "WildFly HTTP", "MESHLEDGER_HTTP_PORT");
        Ports.requireFree(managementPort, "WildFly management", "MESHLEDGER_MANAGEMENT_PORT");
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.http.port=" + httpPort, "-Djboss.management.http.port=" + managementPort));
        if (baseDirectory != null) {
            command.add("-Djboss.server.base.dir=" + baseDirectory);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(environment);
        // The JVM runs in the foreground of the start script: a TERM or Ctrl-C reaches it directly, and
        // the script ends with it. (In background mode the script loops forever once the JVM dies of a TERM.)
        env.remove("LAUNCH_JBOSS_IN_BACKGROUND");
        env.put("JAVA_OPTS", "-Xms128m -Xmx768m -XX:MetaspaceSize=96m -XX:MaxMetaspaceSize=384m"
                + " -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true "
                + System.getenv().getOrDefault("MESHLEDGER_SERVER_JAVA_OPTS", ""));
        try {
            WildFlyServer server = new WildFlyServer(ManagedProcess.start("wildfly", builder, log), httpPort,
                    managementPort);
            server.awaitBoot();
            return server;
        } catch (IOException e) {
            throw new StackException("WildFly did not start: " + e.getMessage(), e);
        }
    }

    /** Copies the server's {@code standalone} folder (configuration and deployments) for a second server. */
    public static Path copyBaseDirectory(Path home, Path target) throws IOException {
        Path source = home.resolve("standalone");
        for (String folder : List.of("configuration", "deployments")) {
            Path from = source.resolve(folder);
            try (var files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(folder).resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    private void awaitBoot() {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("WildFly stopped while starting; its last output:\n" + process.tail(40));
            }
            if (process.logContains(STARTED) || process.logContains(STARTED_WITH_ERRORS)) {
                return;
            }
            Http.pause(Duration.ofMillis(250));
        }
        throw new StackException("WildFly did not boot within " + BOOT_TIMEOUT.toMinutes() + " minutes; its last output:\n"
                + process.tail(40));
    }

    /**
     * Why the application could not start, in MeshLedger's words where it said it, or {@code null}
     * when the server booted cleanly.
     */
    public String bootFailure() {
        return process.logLine(MESHLEDGER_START_FAILURE)
                .map(line -> line.substring(line.indexOf(MESHLEDGER_START_FAILURE)))
                .orElseGet(() -> process.logContains(STARTED_WITH_ERRORS)
                        ? "WildFly started with errors; its last output:\n" + process.tail(40)
                        : null);
    }

    /** Waits until the readiness checks pass, failing with their reasons. */
    public void awaitReady(Duration timeout) {
        String failure = bootFailure();
        if (failure != null) {
            throw new StackException(failure);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = readiness();
            if (last != null && last.statusCode() == 200) {
                return;
            }
            Http.pause(Duration.ofMillis(500));
        }
        throw new StackException("MeshLedger is not ready after " + timeout.toSeconds() + " s: "
                + (last == null ? "the management interface does not answer" : last.body()));
    }

    /** {@code GET /health/ready} on the management interface, or {@code null} if it does not answer. */
    public HttpResponse<String> readiness() {
        return Http.get(URI.create(managementUrl() + "/health/ready"));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public Path log() {
        return process.log();
    }

    /** Kills the server without letting it shut down (SIGKILL), as a power cut would. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
