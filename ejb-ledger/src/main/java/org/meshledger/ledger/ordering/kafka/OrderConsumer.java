package org.meshledger.ledger.ordering.kafka;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer loop: one thread of its own reads the order topic's partition 0 from the node's
 * resume offset ({@code assign} and {@code seek}; no consumer group, no committed offsets: the node
 * keeps its position with its ledger), feeds each record to the {@link OrderLogFollower} (decode,
 * verify, de-duplicate, cut) and hands each cut block to {@link OrderLogListener#block}, then tells
 * the cutter the block is stored. With a {@link TimeToCutTimer} and a publisher, it also asks for a
 * cut when a pending block stays uncut too long, and only when it has read to the log's end (a node
 * catching up has nothing to ask for).
 *
 * <p>Failures: while the broker is away, polls return nothing and the client reconnects by itself;
 * the loop keeps polling from where it was, so when the broker is back it carries on at the next
 * record: nothing is lost and nothing is handed out twice. A transient Kafka error is logged and
 * the loop polls again after a pause. It stops by itself ({@link OrderLogListener#halted}) only when
 * going on could build a different history or cannot succeed: the listener failed on a block (the
 * node restarts from what it stored), the log no longer holds the position
 * ({@link LogStartException.Reason#OFFSET_MISSING}), or Kafka refuses the node (authentication,
 * authorization, an unsupported broker). Publishing a time-to-cut never blocks the loop longer
 * than the producer's {@code maxBlock}, and its failure only lets the timer try again.
 *
 * <p>Threading: {@link #start} starts the loop; {@link #close} may be called from any thread and
 * waits for the loop to end. The follower, cutter and timer belong to the loop's thread once started.
 */
public final class OrderConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrderConsumer.class.getName());
    private static final long PAUSE_MILLIS = 500;

    private final OrderLogSettings settings;
    private final OrderLogFollower follower;
    private final OrderLogListener listener;
    private final TimeToCutTimer timer;
    private final OrderPublisher timeToCutSender;
    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean halted;

    /**
     * @param timer when this node asks for cuts, or null if it never does
     * @param timeToCutSender publishes the requests; null if it never does
     */
    public OrderConsumer(OrderLogSettings settings, OrderLogFollower follower, OrderLogListener listener,
            TimeToCutTimer timer, OrderPublisher timeToCutSender, ThreadFactory threads) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.follower = Objects.requireNonNull(follower, "follower");
        this.listener = Objects.requireNonNull(listener, "listener");
        if ((timer == null) != (timeToCutSender == null)) {
            throw new IllegalArgumentException("A node that asks for cuts needs both a timer and a publisher");
        }
        this.timer = timer;
        this.timeToCutSender = timeToCutSender;
        this.partition = new TopicPartition(settings.topic(), 0);
        this.consumer = KafkaConfigs.withApplicationClassLoader(() -> new KafkaConsumer<>(
                KafkaConfigs.consumer(settings, "meshledger-order-reader"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()));
        this.thread = threads.newThread(this::run);
        thread.setName("meshledger-order-log");
    }

    /** Starts reading from the follower's next offset (the stored state's resume offset). */
    public OrderConsumer start() {
        thread.start();
        return this;
    }

    /** Whether the loop stopped by itself ({@link OrderLogListener#halted} was called). */
    public boolean halted() {
        return halted;
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seek(partition, follower.nextOffset());
            LOG.info("Reading the order log " + settings.topic() + " from offset " + follower.nextOffset());
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(settings.pollTimeout());
                } catch (WakeupException e) {
                    continue;
                } catch (InterruptException e) {
                    // Interrupted from outside: stop as if closed.
                    closing = true;
                    continue;
                } catch (InvalidOffsetException e) {
                    halt(new LogStartException(LogStartException.Reason.OFFSET_MISSING, "the order log "
                            + settings.topic() + " no longer holds offset " + follower.nextOffset()
                            + " (" + e.getMessage() + "); the log lost records: do not go on with this node"));
                    return;
                } catch (AuthenticationException | AuthorizationException | UnsupportedVersionException e) {
                    halt(e);
                    return;
                } catch (KafkaException e) {
                    LOG.log(Level.WARNING, "Reading the order log failed; trying again", e);
                    pause();
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    Optional<CutBlock> block = follower.accept(record.offset(), record.timestamp(), record.value());
                    if (block.isPresent()) {
                        try {
                            listener.block(block.get());
                        } catch (Exception e) {
                            halt(e);
                            return;
                        }
                        follower.cutter().stored(block.get().height());
                    }
                }
                askForCut();
            }
        } catch (Throwable e) {
            if (!closing) {
                halt(e);
            }
        } finally {
            consumer.close();
        }
    }

    private void askForCut() {
        if (timer == null) {
            return;
        }
        BlockCutter cutter = follower.cutter();
        OptionalLong lag = consumer.currentLag(partition);
        if (cutter.hasPending() && (lag.isEmpty() || lag.getAsLong() > 0)) {
            // Not at the log's end: what is pending may be cut already by records not read yet.
            return;
        }
        OptionalLong due = timer.due(cutter.pendingHeight(), cutter.hasPending());
        if (due.isPresent()) {
            long height = due.getAsLong();
            LOG.fine(() -> "Asking for a cut of block " + height);
            timeToCutSender.publishTimeToCut(height).whenComplete((offset, failure) -> {
                if (failure != null) {
                    LOG.log(Level.WARNING, "The time-to-cut for block " + height + " was not published", failure);
                    timer.sendFailed(height);
                }
            });
        }
    }

    private void halt(Throwable cause) {
        halted = true;
        LOG.log(Level.SEVERE, "The order log reader stopped at offset " + follower.nextOffset()
                + "; restart the node from its stored ledger once the cause is fixed", cause);
        try {
            listener.halted(cause);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The order log listener failed on halting", e);
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /** Stops the loop (after the record it is handing out, if any) and waits for it to end. */
    @Override
    public void close() {
        closing = true;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
