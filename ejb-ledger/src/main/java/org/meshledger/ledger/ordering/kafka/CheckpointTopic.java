package org.meshledger.ledger.ordering.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The network's checkpoints topic ({@code meshledger.<network>.checkpoints}, one partition): every
 * node publishes its signed checkpoint of each block and reads everyone's. What a message says is
 * checked above (signature, network, node); here it is bytes. Kept like the order topic (no
 * deletion, log-append times): checkpoints are evidence.
 *
 * <p>Threads: publishing from any thread (the producer's completions run on its I/O thread); one
 * reader thread hands each message's bytes to the callback. While Kafka is away the reader keeps
 * polling and publishing fails within the order log's write bounds; nothing waits forever.
 */
public final class CheckpointTopic implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckpointTopic.class.getName());

    private final OrderLogSettings settings;
    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;
    private volatile boolean closing;

    private CheckpointTopic(OrderLogSettings settings, String topic, String nodeId) {
        this.settings = settings;
        this.topic = topic;
        this.producer = KafkaConfigs.withApplicationClassLoader(() -> new KafkaProducer<>(
                KafkaConfigs.producer(settings, "meshledger-checkpoints-" + nodeId), new ByteArraySerializer(),
                new ByteArraySerializer()));
    }

    /** The network's checkpoints topic, created (with the order topic's settings) if it is missing. */
    public static CheckpointTopic open(OrderLogSettings settings, String networkId, String nodeId) {
        String topic = "meshledger." + networkId + ".checkpoints";
        try (Admin admin = KafkaConfigs.withApplicationClassLoader(() -> Admin.create(KafkaConfigs.admin(settings,
                "meshledger-checkpoints-admin-" + nodeId)))) {
            Map<String, String> configs = new java.util.HashMap<>(OrderTopic.configs(settings));
            admin.createTopics(List.of(new NewTopic(topic, 1, settings.replicationFactor()).configs(configs))).all()
                    .get(settings.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new OrderLogUnavailableException("The checkpoints topic " + topic + " cannot be created: "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new OrderLogUnavailableException("Kafka did not answer within " + settings.adminTimeout()
                    + " while the checkpoints topic was checked", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrderLogUnavailableException("Interrupted while the checkpoints topic was checked", e);
        }
        return new CheckpointTopic(settings, topic, nodeId);
    }

    public String topic() {
        return topic;
    }

    public CompletableFuture<Long> publish(byte[] message) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, 0, null, message), (metadata, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(new OrderLogUnavailableException("A checkpoint could not be "
                            + "published: " + failure.getMessage(), failure));
                } else {
                    done.complete(metadata.offset());
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(new OrderLogUnavailableException("A checkpoint could not be published: "
                    + e.getMessage(), e));
        }
        return done;
    }

    /** Starts reading every message from the topic's beginning on a thread of {@code threads}. */
    public synchronized void read(Consumer<byte[]> messages, ThreadFactory threads) {
        if (reader != null) {
            throw new IllegalStateException("Already reading");
        }
        reader = threads.newThread(() -> loop(messages));
        reader.setName("meshledger-checkpoints-reader");
        reader.start();
    }

    private void loop(Consumer<byte[]> messages) {
        Map<String, Object> config = KafkaConfigs.consumer(settings, "meshledger-checkpoints-reader");
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> c = KafkaConfigs.withApplicationClassLoader(() -> new KafkaConsumer<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer()))) {
            consumer = c;
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            while (!closing) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : c.poll(settings.pollTimeout())) {
                        try {
                            messages.accept(record.value());
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "A checkpoint message could not be handled", e);
                        }
                    }
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    if (!closing) {
                        LOG.log(Level.WARNING, "Reading checkpoints failed; trying again", e);
                        sleep(Duration.ofSeconds(1));
                    }
                }
            }
        } finally {
            consumer = null;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread r;
        synchronized (this) {
            r = reader;
        }
        if (r != null) {
            try {
                r.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
