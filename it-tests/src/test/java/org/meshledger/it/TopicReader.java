package org.meshledger.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A party's consumer of its topic, as a data-mesh team would write one: reads every partition from
 * the start (or from a time), with the CloudEvents Kafka deserializer.
 */
final class TopicReader implements AutoCloseable {

    static final String PREFIX = "meshledger.mortgage-servicing.";

    private final KafkaConsumer<String, CloudEvent> consumer;
    private final String topic;

    TopicReader(String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", TestStack.kafkaBootstrapServers(),
                "max.poll.records", 2000), new StringDeserializer(), new CloudEventDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    static TopicReader records(String party) {
        return new TopicReader(PREFIX + party + ".records");
    }

    /** Moves every partition to the first message at or after {@code time} (a block's time). */
    void seekTo(Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        consumer.assignment().forEach(p -> query.put(p, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        found.forEach((partition, offset) -> consumer.seek(partition, offset == null ? ends.get(partition)
                : offset.offset()));
    }

    /** Reads until {@code done} holds for what was read (or the timeout passes); returns it all. */
    List<ConsumerRecord<String, CloudEvent>> readUntil(Predicate<List<ConsumerRecord<String, CloudEvent>>> done,
            Duration timeout) {
        List<ConsumerRecord<String, CloudEvent>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(read) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
        return read;
    }

    /** Everything up to the current end of the topic. */
    List<ConsumerRecord<String, CloudEvent>> readToEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return readUntil(read -> ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()),
                Duration.ofSeconds(60));
    }

    static JsonNode data(CloudEvent event) {
        return Json.parse(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
    }

    String topic() {
        return topic;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
