package org.meshledger.ledger.events.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.meshledger.ledger.events.EventPublisher;
import org.meshledger.ledger.events.EventSettings;
import org.meshledger.ledger.events.PartyEvent;
import org.meshledger.ledger.identity.PartyId;

/**
 * The Kafka publisher tells a message refused for itself from a broker that is away, on a mock
 * producer that fails chosen records as the real one does (through the future, or at once).
 */
class KafkaEventPublisherTest {

    private static final EventSettings SETTINGS = new EventSettings("localhost:1", "meshledger.test.", 1, false,
            Map.of(), Map.of());

    /** Fails the records whose event id is named, with the given exception, as the real producer does. */
    private static final class Failing extends MockProducer<String, CloudEvent> {
        private final Map<String, RuntimeException> failures;

        Failing(Map<String, RuntimeException> failures) {
            super(true, null, (topic, key) -> new byte[0], (topic, value) -> new byte[0]);
            this.failures = failures;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, CloudEvent> record, Callback callback) {
            RuntimeException failure = failures.get(record.value().getId());
            if (failure instanceof SerializationException) {
                throw failure; // the serializer's refusal comes at once
            }
            if (failure != null) {
                return java.util.concurrent.CompletableFuture.failedFuture(failure);
            }
            return super.send(record, callback);
        }
    }

    private static PartyEvent event(String party, String id) {
        CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create("/meshledger/networks/test"))
                .withType("org.meshledger.record.create").withTime(OffsetDateTime.now())
                .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
        return new PartyEvent(new PartyId(party), id.substring(0, id.lastIndexOf('/')), event);
    }

    @Test
    void aMessageRefusedForItselfIsReturnedAndTheOthersArePublished() throws Exception {
        Failing producer = new Failing(Map.of(
                "Loan/L-1/2", new RecordTooLargeException("The message is 1048712 bytes when serialized"),
                "Loan/L-2/1", new SerializationException("cannot serialize")));
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(SETTINGS, producer)) {
            List<EventPublisher.Refusal> refused = publisher.publish(List.of(event("servicer", "Loan/L-1/1"),
                    event("servicer", "Loan/L-1/2"), event("securitizer", "Loan/L-1/2"), event("servicer", "Loan/L-2/1"),
                    event("servicer", "Loan/L-1/3")));

            assertEquals(List.of("securitizer Loan/L-1/2 RecordTooLargeException: The message is 1048712 bytes when "
                    + "serialized", "servicer Loan/L-1/2 RecordTooLargeException: The message is 1048712 bytes when "
                    + "serialized", "servicer Loan/L-2/1 SerializationException: cannot serialize"),
                    refused.stream().map(r -> r.event().party().value() + " " + r.event().event().getId() + " "
                            + r.reason()).sorted().toList());
            assertEquals(List.of("meshledger.test.servicer.records Loan/L-1/1", "meshledger.test.servicer.records Loan/L-1/3"),
                    producer.history().stream().map(r -> r.topic() + " " + r.value().getId()).toList());
        }
    }

    @Test
    void aBrokerThatIsAwayFailsTheBatchAndCarriesTheRefusalsMetOnTheWay() {
        Failing producer = new Failing(Map.of(
                "Loan/L-1/1", new RecordTooLargeException("too large"),
                "Loan/L-1/2", new TimeoutException("Expiring 1 record(s) for meshledger.test.servicer.records-0")));
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(SETTINGS, producer)) {
            EventPublisher.NotPublishedException failed = assertThrows(EventPublisher.NotPublishedException.class,
                    () -> publisher.publish(List.of(event("servicer", "Loan/L-1/1"), event("servicer", "Loan/L-1/2"),
                            event("servicer", "Loan/L-1/3"))));
            assertTrue(failed.getCause() instanceof TimeoutException, String.valueOf(failed.getCause()));
            assertEquals(List.of("Loan/L-1/1"), failed.refused().stream().map(r -> r.event().event().getId()).toList());
        }
    }

    @Test
    void onlyAFailureOfTheMessageItselfIsARefusal() {
        assertTrue(KafkaEventPublisher.refusal(new RecordTooLargeException("big")).isPresent());
        assertTrue(KafkaEventPublisher.refusal(new SerializationException("bad")).isPresent());
        assertTrue(KafkaEventPublisher.refusal(new InvalidRecordException("invalid")).isPresent());
        assertTrue(KafkaEventPublisher.refusal(new ExecutionException(new RecordTooLargeException("big"))).isPresent());
        assertEquals(Optional.empty(), KafkaEventPublisher.refusal(new TimeoutException("broker away")));
        assertEquals(Optional.empty(), KafkaEventPublisher.refusal(new NotLeaderOrFollowerException("moving")));
        assertEquals(Optional.empty(), KafkaEventPublisher.refusal(new TopicAuthorizationException("no ACL")),
                "not the message's own: dead-lettering it would dead-letter the whole stream");
        assertEquals(Optional.empty(), KafkaEventPublisher.refusal(new KafkaException(
                "Failed to append record because it was part of a batch which had one or more invalid records")),
                "an innocent record of a refused batch is published again");
    }
}
