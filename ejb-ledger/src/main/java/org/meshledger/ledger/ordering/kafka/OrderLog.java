package org.meshledger.ledger.ordering.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;

/**
 * A node's way into the network's order log, opened once at start:
 * <pre>
 *  OrderLog log = OrderLog.open(settings, codec, stored);   // topic created or checked; start check
 *  store(log.identity());                                   // with the ledger, on a fresh node
 *  OrderPublisher out = log.publisher(nodeId, nodeKey::sign);
 *  BlockCutter cutter = new BlockCutter(policy, storedState, takenBatches, listener);
 *  log.follow(cutter, listener, out);                       // the consumer loop, on its own thread
 *  out.publishBatch(batchId, txCount, sealedPayload)        // a CompletableFuture of the offset
 * </pre>
 * {@link #open} runs on the caller's thread and either returns a log that is the one the node's
 * ledger was built from, or throws: {@link LogStartException} (it is not: the node must halt),
 * {@link UnsafeTopicException} (the topic's settings could lose data), or
 * {@link OrderLogUnavailableException} (Kafka did not answer within the admin timeout; try again).
 * {@link #close} stops the readers and publishers opened through it. Thread-safe.
 */
public final class OrderLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrderLog.class.getName());

    private final OrderLogSettings settings;
    private final OrderMessageCodec codec;
    private final LogIdentity identity;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private OrderLog(OrderLogSettings settings, OrderMessageCodec codec, LogIdentity identity) {
        this.settings = settings;
        this.codec = codec;
        this.identity = identity;
    }

    /**
     * Creates the topic (on a fresh node, if missing) or checks it, and checks that the log is the one
     * {@code expected} describes ({@link StartCheck}).
     *
     * @param expected what the node stored with its ledger ({@link ExpectedLog#FRESH} for nothing)
     */
    public static OrderLog open(OrderLogSettings settings, OrderMessageCodec codec, ExpectedLog expected) {
        Objects.requireNonNull(expected, "expected");
        if (codec.maxMessageBytes() != settings.maxMessageBytes()) {
            throw new IllegalArgumentException("The codec's message limit (" + codec.maxMessageBytes()
                    + " bytes) differs from the settings' (" + settings.maxMessageBytes() + ")");
        }
        try (Admin admin = KafkaConfigs.withApplicationClassLoader(() -> Admin.create(KafkaConfigs.admin(settings,
                "meshledger-order-admin")))) {
            return new OrderLog(settings, codec, new StartCheck(settings, admin).check(expected));
        }
    }

    /** The cluster and topic ids, which the node stores with its ledger. */
    public LogIdentity identity() {
        return identity;
    }

    public OrderLogSettings settings() {
        return settings;
    }

    /** A publisher of this node's messages, signed with {@code signer}. */
    public synchronized OrderPublisher publisher(String nodeId, Signer signer) {
        OrderPublisher publisher = new OrderPublisher(settings, codec, nodeId, signer);
        opened.add(publisher);
        return publisher;
    }

    /**
     * Starts the consumer loop on a thread of {@code threads}: reads from the cutter's next offset,
     * hands blocks and skipped records to {@code listener}; with a {@code timeToCutSender}, asks for
     * cuts after {@link OrderLogSettings#batchTimeout()} (null: this node never asks).
     */
    public synchronized OrderConsumer follow(BlockCutter cutter, OrderLogListener listener,
            OrderPublisher timeToCutSender, ThreadFactory threads) {
        TimeToCutTimer timer = timeToCutSender == null ? null
                : new TimeToCutTimer(settings.batchTimeout(), System::nanoTime);
        OrderConsumer consumer = new OrderConsumer(settings, new OrderLogFollower(codec, cutter, listener), listener,
                timer, timeToCutSender, threads);
        opened.add(consumer);
        return consumer.start();
    }

    /** Stops the readers first (they may be publishing time-to-cuts), then the publishers. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> readersFirst = new ArrayList<>();
        opened.stream().filter(OrderConsumer.class::isInstance).forEach(readersFirst::add);
        opened.stream().filter(c -> !(c instanceof OrderConsumer)).forEach(readersFirst::add);
        for (AutoCloseable closeable : readersFirst) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Closing " + closeable + " failed", e);
            }
        }
        opened.clear();
    }
}
