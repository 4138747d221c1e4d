package org.meshledger.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker from the Maven jars: it serves, and keeps its topics and messages across a restart. */
class KafkaBrokerTest {

    @TempDir
    Path home;

    @Test
    void clusterIdsAreKafkaUuidsThatNeverLookLikeAnOption() {
        for (int i = 0; i < 2000; i++) {
            String id = KafkaBroker.clusterId();
            assertEquals(22, id.length(), id);
            assertTrue(id.matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}"), id);
            assertEquals(16, java.util.Base64.getUrlDecoder().decode(id).length);
        }
    }

    @Test
    void servesAndKeepsItsDataAcrossARestart() throws Exception {
        int port = Ports.free();
        int controller = Ports.free();
        KafkaBroker broker = KafkaBroker.start(home.resolve("kafka"), port, controller, home.resolve("logs/kafka.log"),
                Duration.ofMinutes(1));
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before the restart")).get(30, TimeUnit.SECONDS);
            }
            StackException taken = assertThrows(StackException.class, () -> KafkaBroker.start(home.resolve("other"),
                    port, Ports.free(), home.resolve("logs/other.log"), Duration.ofSeconds(5)));
            assertTrue(taken.getMessage().contains("Port " + port), taken.getMessage());
            broker.close();
            broker = broker.restart(Duration.ofMinutes(1));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                consumer.assign(Set.of(partition));
                consumer.seekToBeginning(Set.of(partition));
                List<ConsumerRecord<String, String>> read = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                }
                assertEquals(1, read.size());
                assertEquals("before the restart", read.get(0).value());
            }
        } finally {
            broker.close();
        }
        assertTrue(Ports.isFree(port), "the broker's port is free after close");
    }
}
