package org.meshledger.stack.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ledger.ordering.kafka.BlockCutter;
import org.meshledger.ledger.ordering.kafka.CutBlock;
import org.meshledger.ledger.ordering.kafka.CutPolicy;
import org.meshledger.ledger.ordering.kafka.CutterState;
import org.meshledger.ledger.ordering.kafka.ExpectedLog;
import org.meshledger.ledger.ordering.kafka.LogIdentity;
import org.meshledger.ledger.ordering.kafka.LogPosition;
import org.meshledger.ledger.ordering.kafka.LogStartException;
import org.meshledger.ledger.ordering.kafka.OrderConsumer;
import org.meshledger.ledger.ordering.kafka.OrderLog;
import org.meshledger.ledger.ordering.kafka.OrderLogFollower;
import org.meshledger.ledger.ordering.kafka.OrderLogListener;
import org.meshledger.ledger.ordering.kafka.OrderLogSettings;
import org.meshledger.ledger.ordering.kafka.OrderLogUnavailableException;
import org.meshledger.ledger.ordering.kafka.OrderMessage;
import org.meshledger.ledger.ordering.kafka.OrderMessageCodec;
import org.meshledger.ledger.ordering.kafka.OrderPublisher;
import org.meshledger.ledger.ordering.kafka.Signer;
import org.meshledger.ledger.ordering.kafka.SkipReason;
import org.meshledger.ledger.ordering.kafka.SkippedMessage;
import org.meshledger.ledger.ordering.kafka.UnsafeTopicException;
import org.meshledger.stack.KafkaBroker;
import org.meshledger.stack.Ports;

/**
 * The order log on a real Kafka broker (one, KRaft, from the Maven jars): two nodes publishing at
 * once read the same blocks; the topic has the ledger's settings and an unsafe one is refused; each
 * start-check error comes from the real situation; a write while Kafka is down fails within its
 * bound, and after Kafka's restart the reader carries on with nothing lost or taken twice.
 */
class OrderLogKafkaTest {

    private static final String NETWORK = "mortgage";
    private static final String SERVICER = "servicer";
    private static final String OWNER = "loan-owner";
    private static final Map<String, KeyPair> KEYS = Map.of(SERVICER, keyPair(), OWNER, keyPair());
    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @TempDir
    static Path home;
    private static KafkaBroker broker;

    @BeforeAll
    static void startKafka() {
        broker = KafkaBroker.start(home.resolve("kafka"), Ports.free(), Ports.free(), home.resolve("logs/kafka.log"),
                Duration.ofMinutes(1));
    }

    @AfterAll
    static void stopKafka() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoNodesPublishingAtOnceReadTheSameBlocks() throws Exception {
        OrderLogSettings settings = settings();
        CutPolicy policy = new CutPolicy(20, 4000);
        try (Node servicer = new Node(settings, SERVICER, policy, true);
                Node owner = new Node(settings, OWNER, policy, true)) {
            List<CompletableFuture<Long>> written = new CopyOnWriteArrayList<>();
            Set<OrderMessage.BatchKey> sent = ConcurrentHashMap.newKeySet();
            Thread[] writers = {new Thread(() -> publish(servicer, 150, new Random(1), written, sent)),
                    new Thread(() -> publish(owner, 150, new Random(2), written, sent))};
            for (Thread writer : writers) {
                writer.start();
            }
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            // One batch published twice, as a producer's retry would: taken once.
            OrderMessage.Batch again = new OrderMessage.Batch(OWNER, UUID.randomUUID(), 2, new byte[5]);
            byte[] bytes = owner.codec.encode(again, owner.signer);
            long first = owner.publisher.publish(bytes).get(10, TimeUnit.SECONDS);
            long second = owner.publisher.publish(bytes).get(10, TimeUnit.SECONDS);
            sent.add(again.key());
            for (CompletableFuture<Long> w : written) {
                w.get(10, TimeUnit.SECONDS);
            }

            await(() -> servicer.batchKeys().size() == sent.size() && owner.batchKeys().size() == sent.size(),
                    "both nodes cut every batch into a block");
            assertEquals(servicer.blocks, owner.blocks, "both nodes cut the same blocks");
            assertEquals(sent, new HashSet<>(servicer.batchKeys()));
            assertEquals(sent.size(), servicer.blocks.stream().mapToInt(b -> b.batches().size()).sum(),
                    "every batch in exactly one block");
            checkChain(servicer.blocks);
            assertTrue(servicer.blocks.stream().anyMatch(b -> b.transactionCount() >= 20), "some blocks cut by count");
            assertTrue(servicer.blocks.stream().anyMatch(b -> b.transactionCount() < 20 && b.payloadBytes() < 4000),
                    "some cut by a time-to-cut");
            await(() -> skippedAt(servicer, second) && skippedAt(owner, second), "the second copy reported");
            assertFalse(skippedAt(servicer, first));
            assertNull(servicer.halted);
            assertNull(owner.halted);
        }
    }

    @Test
    void theTopicIsCreatedWithTheLedgersSettingsAndAnUnsafeOneIsRefused() throws Exception {
        OrderLogSettings settings = settings();
        try (Node node = new Node(settings, SERVICER, CutPolicy.DEFAULT, false);
                Admin admin = admin()) {
            TopicDescription topic = admin.describeTopics(List.of(settings.topic())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(settings.topic());
            assertEquals(1, topic.partitions().size());
            assertEquals(1, topic.partitions().get(0).replicas().size());
            assertEquals(node.log.identity().topicId(), topic.topicId().toString());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertEquals("delete", config.get("cleanup.policy").value());
            assertEquals("-1", config.get("retention.ms").value());
            assertEquals("-1", config.get("retention.bytes").value());
            assertEquals("false", config.get("unclean.leader.election.enable").value());
            assertEquals("LogAppendTime", config.get("message.timestamp.type").value());
            assertEquals("1", config.get("min.insync.replicas").value());
            assertEquals(Integer.toString(settings.maxMessageBytes() + 4096), config.get("max.message.bytes").value());

            String unsafe = "meshledger.unsafe-" + TOPICS.incrementAndGet() + ".order";
            admin.createTopics(List.of(new NewTopic(unsafe, 2, (short) 1).configs(Map.of("retention.ms", "604800000",
                    "message.timestamp.type", "CreateTime", "cleanup.policy", "compact")))).all().get(10, TimeUnit.SECONDS);
            UnsafeTopicException refused = assertThrows(UnsafeTopicException.class, () -> OrderLog.open(
                    settings.withTopic(unsafe), codec(), ExpectedLog.FRESH));
            assertEquals(Set.of(UnsafeTopicException.Problem.PARTITIONS, UnsafeTopicException.Problem.TIME_RETENTION,
                    UnsafeTopicException.Problem.CREATE_TIME, UnsafeTopicException.Problem.COMPACTION,
                    // Kafka's default limit, below the network's batches.
                    UnsafeTopicException.Problem.MESSAGE_SIZE),
                    refused.problems().keySet(), refused.getMessage());
        }
    }

    @Test
    void theStartCheckNamesWhatChangedInTheLog() throws Exception {
        OrderLogSettings settings = settings();
        OrderMessageCodec codec = codec();
        LogIdentity identity;
        LogPosition last;
        try (OrderLog log = OrderLog.open(settings, codec, ExpectedLog.FRESH);
                OrderPublisher publisher = log.publisher(SERVICER, signer(SERVICER))) {
            identity = log.identity();
            byte[] bytes = null;
            long offset = -1;
            for (int i = 0; i < 3; i++) {
                bytes = codec.encode(new OrderMessage.Batch(SERVICER, UUID.randomUUID(), 1, new byte[] {(byte) i}),
                        signer(SERVICER));
                offset = publisher.publish(bytes).get(10, TimeUnit.SECONDS);
            }
            last = new LogPosition(offset, OrderLogFollower.sha256(bytes));
        }
        ExpectedLog stored = ExpectedLog.of(identity, last);
        try (OrderLog same = OrderLog.open(settings, codec, stored)) {
            assertEquals(identity, same.identity(), "the log the ledger was built from");
        }
        assertReason(LogStartException.Reason.CLUSTER_CHANGED, settings,
                new ExpectedLog("AnotherClusterIdAAAAAAA", identity.topicId(), last));
        assertReason(LogStartException.Reason.MESSAGE_CHANGED, settings,
                ExpectedLog.of(identity, new LogPosition(last.offset(), OrderLogFollower.sha256(new byte[] {9}))));
        assertReason(LogStartException.Reason.OFFSET_MISSING, settings,
                ExpectedLog.of(identity, new LogPosition(last.offset() + 5, last.valueSha256())));

        try (Admin admin = admin()) {
            TopicPartition partition = new TopicPartition(settings.topic(), 0);
            // Truncated: the records before the last one are deleted.
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(last.offset()))).all()
                    .get(10, TimeUnit.SECONDS);
            assertReason(LogStartException.Reason.OFFSET_MISSING, settings,
                    ExpectedLog.of(identity, new LogPosition(last.offset() - 1, last.valueSha256())));
            try (OrderLog stillThere = OrderLog.open(settings, codec, stored)) {
                assertEquals(identity, stillThere.identity(), "the last record itself is still there");
            }

            admin.deleteTopics(List.of(settings.topic())).all().get(10, TimeUnit.SECONDS);
            await(() -> !topics(admin).contains(settings.topic()), "the topic is deleted");
            assertReason(LogStartException.Reason.TOPIC_MISSING, settings, stored);
        }
        // A fresh node creates it again; the node that was built from the old one must not go on.
        await(() -> {
            try (OrderLog fresh = OrderLog.open(settings, codec, ExpectedLog.FRESH)) {
                return !fresh.identity().topicId().equals(identity.topicId());
            } catch (OrderLogUnavailableException e) {
                return false; // the broker may still be removing the old one
            }
        }, "the topic is created again");
        assertReason(LogStartException.Reason.TOPIC_RECREATED, settings, stored);
    }

    @Test
    void aWriteWhileKafkaIsDownFailsInTimeAndAfterItsRestartNothingIsLostOrTakenTwice() throws Exception {
        Duration delivery = Duration.ofSeconds(3);
        OrderLogSettings settings = settings().withWriteTimeouts(delivery, Duration.ofSeconds(1), Duration.ofSeconds(1));
        Set<OrderMessage.BatchKey> sent = new HashSet<>();
        try (Node node = new Node(settings, SERVICER, new CutPolicy(1000, 1 << 20), true)) {
            for (int i = 0; i < 5; i++) {
                sent.add(node.publishBatch(1 + i).get(10, TimeUnit.SECONDS));
            }
            await(() -> node.batchKeys().size() == 5, "the first batches are cut (by time-to-cut)");

            broker.close();
            OrderMessage.Batch refused = new OrderMessage.Batch(SERVICER, UUID.randomUUID(), 3, new byte[30]);
            byte[] bytes = node.codec.encode(refused, node.signer);
            long start = System.nanoTime();
            CompletableFuture<Long> write = node.publisher.publish(bytes);
            long returned = System.nanoTime() - start;
            ExecutionException failed = assertThrows(ExecutionException.class, () -> write.get(30, TimeUnit.SECONDS));
            long elapsed = System.nanoTime() - start;
            assertInstanceOf(OrderLogUnavailableException.class, failed.getCause());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(returned) <= 1500, "publish returns at once: " + returned / 1_000_000 + " ms");
            assertTrue(elapsed <= delivery.plusSeconds(2).toNanos(), "failed within the delivery timeout: "
                    + elapsed / 1_000_000 + " ms");

            broker = broker.restart(Duration.ofMinutes(1));
            // The caller retries the refused batch, the same bytes; and more follow.
            sent.add(refused.key());
            retry(() -> node.publisher.publish(bytes));
            for (int i = 0; i < 5; i++) {
                int size = i;
                sent.add(retryKey(() -> node.publishBatch(10 + size)));
            }
            await(() -> node.batchKeys().size() == sent.size(), "the reader carries on after the restart");
            assertEquals(sent, new HashSet<>(node.batchKeys()));
            assertEquals(sent.size(), node.blocks.stream().mapToInt(b -> b.batches().size()).sum(), "nothing taken twice");
            checkChain(node.blocks);
            assertNull(node.halted, "the reader never stopped");

            // A node reading the whole log afterwards cuts the same blocks.
            try (Node late = new Node(settings, OWNER, new CutPolicy(1000, 1 << 20), false)) {
                await(() -> late.blocks.size() >= node.blocks.size(), "a late node reads the log");
                assertEquals(node.blocks, late.blocks);
            }
        }
    }

    // -- a node: its log, publisher, reader and what it "stores" --

    private static final class Node implements OrderLogListener, AutoCloseable {
        final OrderMessageCodec codec = codec();
        final Signer signer;
        final String nodeId;
        final OrderLog log;
        final OrderPublisher publisher;
        final OrderConsumer reader;
        final List<CutBlock> blocks = new CopyOnWriteArrayList<>();
        final List<SkippedMessage> skipped = new CopyOnWriteArrayList<>();
        final Set<OrderMessage.BatchKey> keys = ConcurrentHashMap.newKeySet();
        volatile Throwable halted;

        Node(OrderLogSettings settings, String nodeId, CutPolicy policy, boolean asksForCuts) {
            this.nodeId = nodeId;
            this.signer = signer(nodeId);
            this.log = OrderLog.open(settings, codec, ExpectedLog.FRESH);
            this.publisher = log.publisher(nodeId, signer);
            BlockCutter cutter = new BlockCutter(policy, CutterState.initial(1),
                    (node, id) -> keys.contains(new OrderMessage.BatchKey(node, id)), this);
            this.reader = log.follow(cutter, this, asksForCuts ? publisher : null, DAEMONS);
        }

        CompletableFuture<OrderMessage.BatchKey> publishBatch(int payloadSize) {
            UUID id = UUID.randomUUID();
            return publisher.publishBatch(id, 1 + payloadSize % 4, new byte[payloadSize])
                    .thenApply(offset -> new OrderMessage.BatchKey(nodeId, id));
        }

        List<OrderMessage.BatchKey> batchKeys() {
            return blocks.stream().flatMap(b -> b.batches().stream()).map(e -> e.batch().key()).toList();
        }

        @Override
        public void block(CutBlock block) {
            blocks.add(block);
            block.batches().forEach(e -> keys.add(e.batch().key()));
        }

        @Override
        public void skipped(SkippedMessage message) {
            skipped.add(message);
        }

        @Override
        public void halted(Throwable cause) {
            halted = cause;
        }

        @Override
        public void close() {
            log.close();
        }
    }

    private static void publish(Node node, int count, Random random, List<CompletableFuture<Long>> written,
            Set<OrderMessage.BatchKey> sent) {
        for (int i = 0; i < count; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            sent.add(new OrderMessage.BatchKey(node.nodeId, id));
            written.add(node.publisher.publishBatch(id, 1 + random.nextInt(5), new byte[random.nextInt(300)]));
            if (random.nextInt(10) == 0) {
                sleep(60 + random.nextInt(40)); // a lull: what is pending is cut by a time-to-cut
            }
        }
    }

    /** Heights follow each other, offset ranges tile the log, times never go back. */
    private static void checkChain(List<CutBlock> blocks) {
        for (int i = 0; i < blocks.size(); i++) {
            CutBlock block = blocks.get(i);
            assertEquals(i + 1, block.height());
            if (i > 0) {
                assertEquals(blocks.get(i - 1).lastOffset() + 1, block.firstOffset());
                assertFalse(block.time().isBefore(blocks.get(i - 1).time()));
            } else {
                assertEquals(0, block.firstOffset());
            }
        }
    }

    private static boolean skippedAt(Node node, long offset) {
        return node.skipped.stream().anyMatch(s -> s.offset() == offset && s.reason() == SkipReason.DUPLICATE_BATCH);
    }

    private static void assertReason(LogStartException.Reason reason, OrderLogSettings settings, ExpectedLog expected) {
        LogStartException refused = assertThrows(LogStartException.class, () -> OrderLog.open(settings, codec(),
                expected).close());
        assertEquals(reason, refused.reason(), refused.getMessage());
    }

    private static <T> T retry(java.util.function.Supplier<CompletableFuture<T>> write) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return write.get().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static OrderMessage.BatchKey retryKey(java.util.function.Supplier<CompletableFuture<OrderMessage.BatchKey>>
            write) throws Exception {
        return retry(write);
    }

    private static OrderLogSettings settings() {
        return OrderLogSettings.demo(broker.bootstrapServers(), NETWORK)
                .withTopic("meshledger.test-" + TOPICS.incrementAndGet() + ".order");
    }

    private static OrderMessageCodec codec() {
        Map<String, PublicKey> keys = Map.of(SERVICER, KEYS.get(SERVICER).getPublic(), OWNER, KEYS.get(OWNER).getPublic());
        return new OrderMessageCodec(NETWORK, keys, OrderMessageCodec.DEFAULT_MAX_MESSAGE_BYTES);
    }

    private static Signer signer(String node) {
        return Signer.ed25519(KEYS.get(node).getPrivate());
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    private static Set<String> topics(Admin admin) {
        try {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Not within 30 s: " + what);
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
