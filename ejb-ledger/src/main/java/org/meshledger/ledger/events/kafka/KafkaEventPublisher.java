package org.meshledger.ledger.events.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
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
 *
 * <p>An event refused for itself ({@link #refusal(Throwable)}: too large, not serializable, an
 * invalid record or timestamp) is returned as a refusal while the others of the batch are
 * published; any other failure (the broker away, a timeout, a topic the node may not write, a
 * fenced producer) fails the batch, which the relay publishes again. Used from the relay's thread
 * only.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final EventSettings settings;
    private final Producer<String, CloudEvent> producer;

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

    /** With a producer of the caller's (a test's {@code MockProducer}). */
    KafkaEventPublisher(EventSettings settings, Producer<String, CloudEvent> producer) {
        this.settings = settings;
        this.producer = producer;
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
    public List<Refusal> publish(List<PartyEvent> events) throws Exception {
        List<Refusal> refused = new ArrayList<>();
        List<PartyEvent> sentEvents = new ArrayList<>(events.size());
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        Exception failure = null;
        for (PartyEvent event : events) {
            long time = event.event().getTime().toInstant().toEpochMilli();
            try {
                sent.add(producer.send(new ProducerRecord<>(settings.recordsTopic(event.party()), null, time,
                        event.key(), event.event())));
                sentEvents.add(event);
            } catch (KafkaException e) {
                // Thrown at once: the serializer refused it, or the producer cannot send at all.
                Optional<String> refusal = refusal(e);
                if (refusal.isEmpty()) {
                    failure = e;
                    break;
                }
                refused.add(new Refusal(event, refusal.get()));
            }
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                Optional<String> refusal = refusal(cause);
                if (refusal.isPresent()) {
                    refused.add(new Refusal(sentEvents.get(i), refusal.get()));
                } else if (failure == null) {
                    failure = cause instanceof Exception exception ? exception : e;
                }
            }
        }
        if (failure != null) {
            throw new NotPublishedException(failure, refused);
        }
        return refused;
    }

    /**
     * Why the broker or the producer refused a message for itself, so that sending it again would
     * fail the same way: too large for the producer or the broker ({@link RecordTooLargeException},
     * {@link RecordBatchTooLargeException}), not serializable ({@link SerializationException}), an
     * invalid record or timestamp ({@link InvalidRecordException}, {@link InvalidTimestampException}).
     * Empty for what may pass ({@link RetriableException}: the broker away, a timeout, a leader
     * moving) and for a non-retriable failure that is not the message's own (authorization, an
     * unknown or invalid topic, a fenced producer): refusing each event for that would dead-letter a
     * whole stream, so the relay retries it and health shows it.
     */
    static Optional<String> refusal(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof RetriableException) {
                return Optional.empty();
            }
            if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                    || e instanceof SerializationException || e instanceof InvalidRecordException
                    || e instanceof InvalidTimestampException) {
                return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
