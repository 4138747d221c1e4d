package org.meshledger.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker (KRaft, one node that is both broker and controller) from the Maven jars, in a
 * process of its own, with its data in a folder that outlives it: stop it and start it on the same
 * folder, and the topics and their messages are there. The class path is the one Maven resolved for
 * this module (written at build time into {@code kafka-broker.classpath}).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final String STARTED = "Kafka Server started";

    private final ManagedProcess process;
    private final int port;
    private final Path home;
    private final int controllerPort;

    private KafkaBroker(ManagedProcess process, int port, int controllerPort, Path home) {
        this.process = process;
        this.port = port;
        this.controllerPort = controllerPort;
        this.home = home;
    }

    /**
     * Starts a broker on {@code port} (loopback) with its controller on {@code controllerPort}, its
     * data under {@code home}, formatting the storage on the first start; returns once it serves.
     */
    public static KafkaBroker start(Path home, int port, int controllerPort, Path log, Duration timeout) {
        Ports.requireFree(port, "Kafka", "MESHLEDGER_KAFKA_PORT");
        Ports.requireFree(controllerPort, "Kafka's controller", "MESHLEDGER_KAFKA_PORT (the next port)");
        try {
            Path config = writeConfig(home, port, controllerPort);
            if (!Files.exists(home.resolve("data/meta.properties"))) {
                format(home, config, log.resolveSibling("kafka-format.log"));
            }
            ManagedProcess process = ManagedProcess.start("Kafka", java(home, "kafka.Kafka", config.toString()), log);
            KafkaBroker broker = new KafkaBroker(process, port, controllerPort, home);
            broker.awaitReady(timeout);
            return broker;
        } catch (IOException e) {
            throw new StackException("Kafka could not be started: " + e.getMessage());
        }
    }

    /** Starts it again on the same folder and ports (after {@link #close()}). */
    public KafkaBroker restart(Duration timeout) {
        return start(home, port, controllerPort, process.log(), timeout);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return process.log();
    }

    private static Path writeConfig(Path home, int port, int controllerPort) throws IOException {
        Files.createDirectories(home.resolve("data"));
        Path config = home.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "# Written by MeshLedger's local stack at each start: one node, broker and controller.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + home.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("log4j2.properties"), String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.out.ref = out",
                "logger.kafka.name = kafka",
                "logger.kafka.level = info",
                "logger.server.name = org.apache.kafka",
                "logger.server.level = warn",
                ""), StandardCharsets.UTF_8);
        return config;
    }

    private static void format(Path home, Path config, Path log) throws IOException {
        ManagedProcess format = ManagedProcess.start("Kafka storage format", java(home, "kafka.tools.StorageTool",
                "format", "-t", clusterId(),
                "-c", config.toString()), log);
        try {
            if (!format.waitFor(Duration.ofMinutes(1)) || format.exitCode() != 0) {
                throw new StackException("Kafka's storage could not be formatted: " + tail(log));
            }
        } finally {
            format.close();
        }
    }

    /**
     * A new cluster id: 16 random bytes, URL-safe base64 without padding (Kafka's Uuid), not starting
     * with '-' (the storage tool would read it as an option; Kafka's own ids avoid it the same way).
     */
    static String clusterId() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + " (" + log + ")";
    }

    private static ProcessBuilder java(Path home, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties").toUri(),
                "-cp", classpath(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(home.toFile());
    }

    private static String classpath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new StackException("the Kafka broker's class path (" + CLASSPATH_RESOURCE
                        + ") is missing: build the local-stack module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("Kafka stopped while starting; see " + process.log());
            }
            if (logSays(STARTED) && accepts()) {
                return;
            }
            sleep(200);
        }
        process.close();
        throw new StackException("Kafka did not start within " + timeout.toSeconds() + " s; see " + process.log());
    }

    private boolean logSays(String text) {
        try {
            return Files.exists(process.log()) && Files.readString(process.log(), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for Kafka");
        }
    }

    /** Stops the broker (a clean shutdown, so that it starts again quickly). */
    @Override
    public void close() {
        process.close();
    }

    /** Kills the broker at once, as a crash would. */
    public void kill() {
        process.kill();
    }
}
