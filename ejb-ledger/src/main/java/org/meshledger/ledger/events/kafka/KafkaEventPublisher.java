package org.meshledger.ledger.events.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.meshledger.ledger.events.EventPublisher;
import org.meshledger.ledger.events.EventSettings;
import org.meshledger.ledger.events.PartyEvent;
import org.meshledger.ledger.identity.PartyId;

/**
 * Publishes events to the parties' Kafka topics with an idempotent producer (acks from all
 * in-sync replicas; retries never reorder or repeat a record's events within a session), as
 * CloudEvents in the Kafka binding's binary mode ({@code ce_*} headers, the JSON data as the value,
 * the record as the key). Each message's timestamp is its block's time, so a consumer finds where
 * a snapshot of a given block leaves off with {@code offsetsForTimes}.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final EventSettings settings;
    private final KafkaProducer<String, CloudEvent> producer;

    public KafkaEventPublisher(EventSettings settings, String nodeName) {
        this.settings = settings;
        Map<String, Object> config = KafkaClients.common(settings, "meshledger-relay-" + nodeName);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight: with more, a first request to a just-created partition can be refused
        // while a later one is appended, and the producer then spins on the first until it expires
        // (KAFKA-15591). The relay would publish the batch again, but the record's versions would
        // reach consumers out of order. A request carries every partition's events of the batch, so
        // this costs little: the relay flushes a batch at a time anyway.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        // Events should leave at once; the relay already sends a block's events together.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Fail a batch within seconds when the broker is away: the relay retries it from the outbox.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        this.producer = KafkaClients.withApplicationClassLoader(() ->
                new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer()));
    }

    @Override
    public void prepare(Collection<PartyId> parties) throws Exception {
        if (!settings.createTopics()) {
            return;
        }
        try (Admin admin = KafkaClients.withApplicationClassLoader(() ->
                Admin.create(KafkaClients.common(settings, "meshledger-admin")))) {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (PartyId party : parties) {
                for (String topic : List.of(settings.recordsTopic(party), settings.inboundTopic(party),
                        settings.deadLetterTopic(party))) {
                    if (!existing.contains(topic)) {
                        missing.add(new NewTopic(topic, java.util.Optional.of(settings.partitions()),
                                java.util.Optional.empty()).configs(settings.topicConfig()));
                    }
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        }
    }

    /**
     * Waits until each partition of new topics has a leader, so the first events do not meet
     * "not leader" answers and wait for the producer's retries.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames()
                        .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).values().stream()
                        .flatMap(t -> t.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                // Just created: the broker may not know the topics yet.
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void publish(List<PartyEvent> events) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (PartyEvent event : events) {
            long time = event.event().getTime().toInstant().toEpochMilli();
            sent.add(producer.send(new ProducerRecord<>(settings.recordsTopic(event.party()), null, time, event.key(),
                    event.event())));
        }
        producer.flush();
        for (Future<RecordMetadata> result : sent) {
            try {
                result.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
