package org.meshledger.stack;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.BlockApplier;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.events.BlockEvents;
import org.meshledger.ledger.events.EventRelay;
import org.meshledger.ledger.events.EventSettings;
import org.meshledger.ledger.events.kafka.KafkaEventPublisher;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NetworkLoader;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.ordering.InNodeOrdering;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.OutboxStore;
import org.meshledger.persistence.migration.SchemaMigrations;
import org.meshledger.persistence.testing.TestPostgres;

/**
 * Commit → event read by another party's consumer: the servicer's system writes Payments at a steady
 * rate (open loop: a transaction every 1/rate seconds, whatever the answers), the node's relay
 * publishes the loan owner's events to a real Kafka broker, and the loan owner's consumer reads them.
 * The node's parts (ordering, block applier, PostgreSQL with durable commits, the event relay and its
 * Kafka publisher) are the ones the server runs, in this process; HTTP and the EJB container are left
 * out because on two cores the HTTP client alone cannot send 1,000 requests a second (see the http
 * row of the write-path benchmark). Run it with the command in docs/performance.md.
 */
public final class EventsBenchmark {

    private static final String NETWORK = "/networks/mortgage-servicing.network.json";
    private static final PartyId READER = new PartyId("loan-owner");
    /** Transactions sent, and read, before each measured run. */
    private static final int WARM_UP = 200;

    private EventsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("seconds", 30);
        int[] rates = Arrays.stream(System.getProperty("rates", "1000,2000,3000,4000,5000").split(","))
                .mapToInt(r -> Integer.parseInt(r.trim())).toArray();
        Path work = Path.of("target/events-benchmark").toAbsolutePath();
        NetworkDefinition network;
        try (InputStream in = EventsBenchmark.class.getResourceAsStream(NETWORK)) {
            network = new NetworkLoader().load(in, NETWORK);
        }
        try (EmbeddedPostgres postgres = TestPostgres.durable(work.resolve("postgres"));
                KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka-" + System.nanoTime()), Ports.free(),
                        Ports.free(), work.resolve("logs/kafka.log"), Duration.ofMinutes(1))) {
            System.out.printf("MeshLedger events benchmark: commit -> event read by the %s's consumer, %d s per rate, "
                    + "%d cores%n", READER, seconds, Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < rates.length; i++) {
                if (i == 0) {
                    run(network, postgres, kafka, rates[0], Math.min(seconds, 10), "warm-up");
                }
                if (!run(network, postgres, kafka, rates[i], seconds, rates[i] + " tx/s")) {
                    break;
                }
            }
        }
    }

    /** One run at a steady rate on a fresh database and topics; false when the rate was not sustained. */
    private static boolean run(NetworkDefinition network, EmbeddedPostgres postgres, KafkaBroker kafka, int rate,
            int seconds, String label) throws Exception {
        String name = TestPostgres.newDatabase(postgres, "events");
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(TestPostgres.url(postgres, name));
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(20);
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        int count = rate * seconds;
        String tag = Long.toString(System.nanoTime(), 36).toUpperCase();
        long[] committedAt = new long[count];
        long[] fromCommit = new long[count];
        long[] fromBlockTime = new long[count];
        AtomicInteger received = new AtomicInteger();
        AtomicInteger warmedUp = new AtomicInteger();
        AtomicInteger notCommitted = new AtomicInteger();
        Map<String, Integer> index = new ConcurrentHashMap<>();
        EventSettings settings = new EventSettings(kafka.bootstrapServers(), name + ".", 3, true,
                EventSettings.DEFAULT_TOPIC_CONFIG, Map.of());
        try (HikariDataSource db = new HikariDataSource(pool)) {
            new SchemaMigrations(db).migrate();
            LedgerStore store = new LedgerStore(db);
            ChainState chain = ChainState.load(store);
            EventRelay relay = new EventRelay(network, new BlockEvents(network, new AccessPolicy()),
                    new OutboxStore(db, store), new org.meshledger.persistence.ledger.EventDeadLetterStore(db), chain,
                    () -> new KafkaEventPublisher(settings, "benchmark"), "benchmark", Clock.systemUTC());
            Thread relayThread = new Thread(relay, "relay");
            relayThread.start();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> {
                try {
                    consume(settings, reading, index, committedAt, fromCommit, fromBlockTime, received, warmedUp);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    throw e;
                }
            }, "loan-owner-consumer");
            awaitTopic(settings);
            consumer.start();
            MeshPrincipal servicer = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.SYSTEM, "servicer-system",
                    "bench", Set.of(Role.EDITOR));
            try (InNodeOrdering ordering = new InNodeOrdering(new BlockApplier(network, new AccessPolicy(), store), chain,
                    BlockPolicy.DEFAULT, Executors.defaultThreadFactory(), Clock.systemUTC())) {
                // The relay connected and the new topics' partitions serving before the measured load.
                for (int i = 0; i < WARM_UP; i++) {
                    String id = "PAY-" + tag + "-W" + i;
                    index.put("Payment/" + id, -1);
                    ordering.submit(new Submission(UUID.randomUUID(), servicer, new TransactionRequest(null, null, null,
                            null, List.of(payment(id)))));
                }
                // Read by the loan owner, and every party's events acknowledged (the relay has marked them).
                OutboxStore outbox = new OutboxStore(db, store);
                long warmDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((warmedUp.get() < WARM_UP || outbox.backlog().blocks() > 0) && System.nanoTime() < warmDeadline) {
                    Thread.sleep(20);
                }
                long start = System.nanoTime();
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                for (int i = 0; i < count; i++) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    String id = "PAY-" + tag + "-" + i;
                    index.put("Payment/" + id, i);
                    int n = i;
                    ordering.submit(new Submission(UUID.randomUUID(), servicer, new TransactionRequest(null, null, null,
                            null, List.of(payment(id))))).committed().whenComplete((outcome, failure) -> {
                                committedAt[n] = System.nanoTime();
                                if (failure != null || outcome.status()
                                        != org.meshledger.ledger.transaction.TransactionStatus.COMMITTED) {
                                    if (notCommitted.incrementAndGet() == 1) {
                                        System.out.println("  (not committed, the first: " + (failure != null ? failure
                                                : outcome.rejection()) + ")");
                                    }
                                }
                            });
                }
                double submitSeconds = (System.nanoTime() - start) / 1e9;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received.get() < count - notCommitted.get() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                double totalSeconds = (System.nanoTime() - start) / 1e9;
                reading.set(false);
                consumer.join(5_000);
                OutboxStore.Backlog backlog = outbox.backlog();
                if (backlog.blocks() > 0 || received.get() == 0) {
                    System.out.printf("  (height %d, %d blocks not published: %s)%n", chain.height(), backlog.blocks(),
                            org.meshledger.persistence.health.EventRelayStatus.current());
                }
                relay.stop();
                relayThread.join(10_000);
                return report(label, rate, count, submitSeconds, totalSeconds, received.get(), notCommitted.get(),
                        fromCommit, fromBlockTime);
            }
        }
    }

    private static boolean report(String label, int rate, int count, double submitSeconds, double totalSeconds,
            int received, int notCommitted, long[] fromCommit, long[] fromBlockTime) {
        long[] commit = Arrays.copyOf(fromCommit, received);
        long[] block = Arrays.copyOf(fromBlockTime, received);
        Arrays.sort(commit);
        Arrays.sort(block);
        // Sustained: every event read, and the last within a second of the last submission.
        boolean sustained = notCommitted == 0 && received == count && totalSeconds - submitSeconds < 1.0
                && submitSeconds < count / (double) rate * 1.05;
        System.out.printf("%-10s %6d tx in %5.1f s (%5.0f tx/s submitted), %6d events read; commit -> read p50 %6.1f ms,"
                + " p99 %7.1f ms, max %7.1f ms; block time -> read p50 %6.1f ms, p99 %7.1f ms; %s%n", label, count,
                submitSeconds, count / submitSeconds, received, ms(commit, 0.5), ms(commit, 0.99), ms(commit, 1.0),
                ms(block, 0.5), ms(block, 0.99), sustained ? "sustained" : "NOT sustained (backlog grew)");
        return sustained;
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    /** The loan owner's consumer: every event of its topic, timed when read. */
    private static void consume(EventSettings settings, AtomicBoolean reading, Map<String, Integer> index,
            long[] committedAt, long[] fromCommit, long[] fromBlockTime, AtomicInteger received,
            AtomicInteger warmedUp) {
        String topic = settings.recordsTopic(READER);
        try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", settings.bootstrapServers(), "fetch.max.wait.ms", 100, "max.poll.records", 5000),
                new StringDeserializer(), new CloudEventDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading.get()) {
                for (ConsumerRecord<String, CloudEvent> message : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    long wallNow = System.currentTimeMillis();
                    Integer i = index.get(message.key());
                    if (i == null) {
                        continue;
                    }
                    if (i < 0) {
                        warmedUp.incrementAndGet();
                        continue;
                    }
                    // The commit callback may run a moment after the relay has already published.
                    long committed = committedAt[i] == 0 ? now : Math.min(committedAt[i], now);
                    int n = received.getAndIncrement();
                    fromCommit[n] = now - committed;
                    fromBlockTime[n] = TimeUnit.MILLISECONDS.toNanos(wallNow - message.value().getTime().toInstant()
                            .toEpochMilli());
                }
            }
        }
    }

    /** Waits until the relay has made the topics. */
    private static void awaitTopic(EventSettings settings) throws InterruptedException {
        try (KafkaConsumer<String, String> probe = new KafkaConsumer<>(Map.of("bootstrap.servers",
                settings.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            for (int i = 0; i < 100; i++) {
                if (probe.listTopics(Duration.ofSeconds(5)).containsKey(settings.recordsTopic(READER))) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the relay did not create " + settings.recordsTopic(READER));
    }

    private static Operation payment(String id) {
        return new Operation(OperationKind.CREATE, "Payment", id, null, Json.parse("""
                {"paymentId": "%s", "loanNumber": "L-000001", "dueDate": "2026-12-01",
                 "scheduledAmount": {"amount": "1944.35", "currency": "USD"}, "status": "scheduled"}""".formatted(id)));
    }
}
