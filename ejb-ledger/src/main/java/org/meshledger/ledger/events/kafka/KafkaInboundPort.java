package org.meshledger.ledger.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.meshledger.ledger.events.EventSettings;
import org.meshledger.ledger.events.InboundAttempts;
import org.meshledger.ledger.events.InboundRejection;
import org.meshledger.ledger.events.InboundSubmissions;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.persistence.health.InboundPortStatus;

/**
 * Reads the parties' inbound topics and submits each message as a transaction of the topic's party
 * (its ACLs decide who may produce there). A message that is not committed goes to the party's
 * dead-letter topic, unchanged, with headers {@code meshledger.error.code} and
 * {@code meshledger.error.reason} and where it came from. Offsets are committed after each message
 * is settled; one that is read again (after a restart) is answered by its idempotency key.
 *
 * <p>A message that cannot be settled now holds its partition only ({@link InboundAttempts}): the
 * partition is paused and sought back to it, and the other partitions, every other party's among
 * them, go on. The ledger being away is waited out; a message that fails for itself is tried
 * {@value InboundAttempts#MAX_ATTEMPTS} times and then dead-lettered with code {@code failed}. A
 * message too large to be written to the dead-letter topic goes there without its value (header
 * {@code meshledger.error.value}). A dead-letter topic that cannot be written holds that party's
 * partition until it can. One thread reads every party's topic; {@link #stop()} from any thread.
 */
public final class KafkaInboundPort implements Runnable {

    private static final Logger LOG = Logger.getLogger(KafkaInboundPort.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration CLOSE = Duration.ofSeconds(2);

    private final EventSettings settings;
    private final InboundSubmissions submissions;
    private final Map<String, PartyId> partyOfTopic = new HashMap<>();
    private final String groupId;
    /** The port's thread only: the partitions' messages that failed, and the last offset dead-lettered. */
    private final InboundAttempts attempts = new InboundAttempts();
    private final Map<String, Long> deadLettered = new HashMap<>();
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public KafkaInboundPort(EventSettings settings, List<PartyId> parties, InboundSubmissions submissions) {
        this.settings = settings;
        this.submissions = submissions;
        parties.forEach(party -> partyOfTopic.put(settings.inboundTopic(party), party));
        this.groupId = settings.topicPrefix() + "inbound";
    }

    @Override
    public void run() {
        while (!stopped) {
            KafkaConsumer<String, byte[]> consumer = null;
            KafkaProducer<String, byte[]> deadLetters = null;
            try {
                consumer = consumer();
                deadLetters = producer();
                this.consumer = consumer;
                consumer.subscribe(partyOfTopic.keySet(), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        // Another member reads them now: what this node held of them is no longer its to report.
                        partitions.forEach(p -> InboundPortStatus.released(p.toString()));
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    }
                });
                while (!stopped) {
                    resumeDue(consumer);
                    Set<TopicPartition> held = new HashSet<>();
                    for (ConsumerRecord<String, byte[]> message : consumer.poll(POLL)) {
                        TopicPartition partition = new TopicPartition(message.topic(), message.partition());
                        if (held.contains(partition)) {
                            continue; // an earlier message of the partition waits; it is read again after it
                        }
                        if (settle(message, deadLetters)) {
                            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(message.offset() + 1)));
                            InboundPortStatus.released(partition.toString());
                        } else {
                            held.add(partition);
                            consumer.seek(partition, message.offset());
                            consumer.pause(Set.of(partition));
                        }
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.log(Level.WARNING, "Inbound topics: " + e.getMessage() + "; reading again from the last committed "
                        + "offsets in " + RETRY.toSeconds() + " s", e);
                if (!pause()) {
                    return;
                }
            } finally {
                close(consumer, deadLetters);
            }
        }
    }

    /** Resumes the paused partitions whose pause is over (a partition no longer assigned is not paused). */
    private void resumeDue(KafkaConsumer<String, byte[]> consumer) {
        Instant now = Instant.now();
        Set<TopicPartition> due = new HashSet<>();
        for (TopicPartition partition : consumer.paused()) {
            if (attempts.due(partition.toString(), now)) {
                due.add(partition);
            }
        }
        if (!due.isEmpty()) {
            consumer.resume(due);
        }
    }

    private static void close(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        // When the server stops, this thread is interrupted; the clients' close would give up at once.
        boolean interrupted = Thread.interrupted();
        try {
            if (producer != null) {
                producer.close(CLOSE);
            }
            if (consumer != null) {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(CLOSE));
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            interrupted = true; // stopping while closing: nothing is left to do
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(RETRY.toMillis());
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Commits the message's transaction, or sends it to the dead-letter topic with why.
     *
     * @return whether it is settled; false when it is to be tried again later (its partition waits)
     */
    private boolean settle(ConsumerRecord<String, byte[]> message, KafkaProducer<String, byte[]> deadLetters) {
        String partition = message.topic() + "-" + message.partition();
        Instant now = Instant.now();
        if (attempts.waiting(partition, message.offset(), now)) {
            return false; // read again by a new consumer before its pause is over
        }
        Long lastDead = deadLettered.get(partition);
        if (lastDead != null && lastDead == message.offset()) {
            attempts.settled(partition);
            return true; // dead-lettered already; only its offset was not committed
        }
        PartyId party = partyOfTopic.get(message.topic());
        Optional<InboundRejection> rejection;
        try {
            rejection = submit(message, party);
        } catch (org.apache.kafka.common.errors.InterruptException | WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            InboundAttempts.Decision decision = attempts.failed(partition, message.offset(), e, now);
            if (decision instanceof InboundAttempts.Retry retry) {
                InboundPortStatus.held(partition, "offset " + message.offset() + ": " + retry.reason());
                LOG.log(Level.WARNING, "Inbound message " + partition + "@" + message.offset() + " cannot be committed "
                        + "now (" + retry.reason() + "); its partition waits until " + retry.at() + ", the others go on", e);
                return false;
            }
            rejection = Optional.of(((InboundAttempts.GiveUp) decision).rejection());
        }
        if (rejection.isPresent() && !deadLetter(message, party, rejection.get(), deadLetters)) {
            return false;
        }
        attempts.settled(partition);
        return true;
    }

    /** @return why it is not committed; empty when it is (or was before) */
    private Optional<InboundRejection> submit(ConsumerRecord<String, byte[]> message, PartyId party) {
        CloudEvent event;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            event = deserializer.deserialize(message.topic(), message.headers(), message.value());
        } catch (RuntimeException e) {
            return Optional.of(new InboundRejection("not-a-cloudevent", "not a CloudEvent in the Kafka "
                    + "binding's binary mode (ce_specversion, ce_id, ce_source and ce_type headers): " + e.getMessage()));
        }
        // A ledger that cannot take it now throws: the message is read again, not dead-lettered.
        return submissions.submit(party, message.topic(), event);
    }

    /**
     * Sends the message to the party's dead-letter topic, without its value if it is too large for
     * the producer.
     *
     * @return false when the dead-letter topic cannot be written now (the message is tried again later)
     */
    private boolean deadLetter(ConsumerRecord<String, byte[]> message, PartyId party, InboundRejection rejection,
            KafkaProducer<String, byte[]> deadLetters) {
        String partition = message.topic() + "-" + message.partition();
        String topic = settings.deadLetterTopic(party);
        try {
            try {
                send(deadLetters, deadLetter(message, rejection, true, topic));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RecordTooLargeException)) {
                    throw e;
                }
                send(deadLetters, deadLetter(message, rejection, false, topic));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (ExecutionException e) {
            String reason = "cannot write to " + topic + ": " + e.getCause().getMessage();
            InboundAttempts.Retry retry = attempts.held(partition, message.offset(), reason, Instant.now());
            InboundPortStatus.held(partition, "offset " + message.offset() + " (" + rejection.code() + "): " + reason);
            LOG.log(Level.WARNING, "Inbound message " + partition + "@" + message.offset() + " (" + rejection.code()
                    + ") " + reason + "; its partition waits until " + retry.at() + ", the others go on", e.getCause());
            return false;
        }
        deadLettered.put(partition, message.offset());
        InboundPortStatus.deadLettered();
        LOG.info(() -> "Inbound message " + partition + "@" + message.offset() + " sent to " + topic + ": "
                + rejection.code() + ": " + rejection.reason());
        return true;
    }

    private static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> message,
            InboundRejection rejection, boolean withValue, String topic) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic, null, message.key(),
                withValue ? message.value() : null, message.headers());
        Headers headers = dead.headers();
        header(headers, "meshledger.error.code", rejection.code());
        header(headers, "meshledger.error.reason", rejection.reason());
        header(headers, "meshledger.error.topic", message.topic());
        header(headers, "meshledger.error.partition", String.valueOf(message.partition()));
        header(headers, "meshledger.error.offset", String.valueOf(message.offset()));
        if (!withValue) {
            header(headers, "meshledger.error.value", "omitted: " + (message.value() == null ? 0 : message.value().length)
                    + " bytes, too large for the dead-letter topic; read it at the offset above");
        }
        return dead;
    }

    private static void send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record)
            throws InterruptedException, ExecutionException {
        try {
            producer.send(record).get();
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            throw e;
        } catch (org.apache.kafka.common.KafkaException e) {
            // Thrown at once (rather than through the future) by some refusals: treated alike.
            throw new ExecutionException(e);
        }
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = KafkaClients.common(settings, "meshledger-inbound");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        return KafkaClients.withApplicationClassLoader(() ->
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()));
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = KafkaClients.common(settings, "meshledger-dead-letters");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // One thread reads every party's topic: a dead-letter topic that cannot be written must fail
        // within seconds (its partition then waits), not hold the others for the default minute.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        return KafkaClients.withApplicationClassLoader(() ->
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    public void stop() {
        stopped = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }
}
