package org.meshledger.ledger.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.meshledger.ledger.events.EventSettings;
import org.meshledger.ledger.events.InboundRejection;
import org.meshledger.ledger.events.InboundSubmissions;
import org.meshledger.ledger.identity.PartyId;

/**
 * Reads the parties' inbound topics and submits each message as a transaction of the topic's party
 * (its ACLs decide who may produce there). A message that is not committed goes to the party's
 * dead-letter topic, unchanged, with headers {@code meshledger.error.code} and
 * {@code meshledger.error.reason} and where it came from. Offsets are committed after each message
 * is settled; one that is read again (after a restart) is answered by its idempotency key.
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
                consumer.subscribe(partyOfTopic.keySet());
                while (!stopped) {
                    for (ConsumerRecord<String, byte[]> message : consumer.poll(POLL)) {
                        settle(message, deadLetters);
                        consumer.commitSync(Map.of(new TopicPartition(message.topic(), message.partition()),
                                new OffsetAndMetadata(message.offset() + 1)));
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

    private void settle(ConsumerRecord<String, byte[]> message, KafkaProducer<String, byte[]> deadLetters) {
        PartyId party = partyOfTopic.get(message.topic());
        CloudEvent event;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            event = deserializer.deserialize(message.topic(), message.headers(), message.value());
        } catch (RuntimeException e) {
            deadLetter(message, party, new InboundRejection("not-a-cloudevent", "not a CloudEvent in the Kafka "
                    + "binding's binary mode (ce_specversion, ce_id, ce_source and ce_type headers): " + e.getMessage()),
                    deadLetters);
            return;
        }
        // A ledger that cannot take it now throws: the message is read again, not dead-lettered.
        Optional<InboundRejection> rejection = submissions.submit(party, message.topic(), event);
        if (rejection.isPresent()) {
            deadLetter(message, party, rejection.get(), deadLetters);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> message, PartyId party, InboundRejection rejection,
            KafkaProducer<String, byte[]> deadLetters) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(settings.deadLetterTopic(party), null, message.key(),
                message.value(), message.headers());
        Headers headers = dead.headers();
        header(headers, "meshledger.error.code", rejection.code());
        header(headers, "meshledger.error.reason", rejection.reason());
        header(headers, "meshledger.error.topic", message.topic());
        header(headers, "meshledger.error.partition", String.valueOf(message.partition()));
        header(headers, "meshledger.error.offset", String.valueOf(message.offset()));
        try {
            deadLetters.send(dead).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot write to " + settings.deadLetterTopic(party) + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        LOG.info(() -> "Inbound message " + message.topic() + "/" + message.partition() + "@" + message.offset()
                + " sent to " + settings.deadLetterTopic(party) + ": " + rejection.code() + ": " + rejection.reason());
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
