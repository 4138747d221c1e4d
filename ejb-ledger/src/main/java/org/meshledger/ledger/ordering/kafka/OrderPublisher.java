package org.meshledger.ledger.ordering.kafka;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes this node's signed order messages to the order topic (partition 0, no key, the broker's
 * log-append time) with an idempotent producer: {@code acks=all}, idempotence on, no transactions
 * ({@link OrderLogSettings}). Each publish returns the record's offset once every in-sync replica has
 * it, or fails with {@link OrderLogUnavailableException} within the configured bound
 * ({@code deliveryTimeout}; {@code maxBlock} at most on the caller's thread), e.g. while Kafka is
 * down: the caller answers 503. A failed publish's outcome is unknown (the record may still be
 * appended); publishing the same batch again, with the same batch id, is safe: the log takes a batch
 * once ({@link BlockCutter}).
 *
 * <p>Thread-safe: any thread may publish; completions run on the producer's I/O thread, so callers
 * must not block in them.
 */
public final class OrderPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrderPublisher.class.getName());

    private final OrderLogSettings settings;
    private final OrderMessageCodec codec;
    private final String nodeId;
    private final Signer signer;
    private final Producer<byte[], byte[]> producer;

    public OrderPublisher(OrderLogSettings settings, OrderMessageCodec codec, String nodeId, Signer signer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.producer = KafkaConfigs.withApplicationClassLoader(() -> new KafkaProducer<>(
                KafkaConfigs.producer(settings, "meshledger-order-" + nodeId), new ByteArraySerializer(),
                new ByteArraySerializer()));
    }

    /**
     * Signs and publishes a batch of {@code txCount} transactions sealed in {@code payload}.
     *
     * @throws IllegalArgumentException if the payload exceeds {@link OrderMessageCodec#maxPayloadBytes}
     */
    public CompletableFuture<Long> publishBatch(UUID batchId, int txCount, byte[] payload) {
        return publish(codec.encode(new OrderMessage.Batch(nodeId, batchId, txCount, payload), signer));
    }

    /** The largest batch payload this node may publish. */
    public int maxPayloadBytes() {
        return codec.maxPayloadBytes(nodeId);
    }

    /** Signs and publishes a request to cut the block at {@code height}. */
    public CompletableFuture<Long> publishTimeToCut(long height) {
        return publish(codec.encode(new OrderMessage.TimeToCut(nodeId, height), signer));
    }

    /** Publishes an encoded message as it is (e.g. a batch again after a failed publish). */
    public CompletableFuture<Long> publish(byte[] encoded) {
        CompletableFuture<Long> offset = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(settings.topic(), 0, null, encoded), (metadata, failure) -> {
                if (failure == null) {
                    offset.complete(metadata.offset());
                } else {
                    offset.completeExceptionally(unavailable(failure));
                }
            });
        } catch (RuntimeException e) {
            offset.completeExceptionally(unavailable(e));
        }
        return offset;
    }

    private OrderLogUnavailableException unavailable(Throwable failure) {
        LOG.log(Level.FINE, "An order message was not published", failure);
        return new OrderLogUnavailableException("The order log (" + settings.topic() + " on "
                + settings.bootstrapServers() + ") did not take the message within "
                + settings.deliveryTimeout().toSeconds() + " s (" + failure + "); it may still be appended: retry "
                + "with the same batch", failure);
    }

    /** Waits (at most the delivery timeout) for what is in flight, then closes the producer. */
    @Override
    public void close() {
        producer.close(settings.deliveryTimeout());
    }
}
