package org.meshledger.connect.salesforce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.SourceRecord;

/**
 * One channel's change events on their way to the ledger, taken together: the stream delivers one
 * event at a time, and each taken on its own would cost a ledger block; this gathers what arrives
 * within a few milliseconds (up to {@value #BATCH} records) into one inbound batch, on one thread, in
 * the stream's order, and keeps the channel's replay id once the batch came back settled. A batch
 * the node cannot settle now (its database away) is tried again, in order, before anything after
 * it; events still waiting when the node stops are delivered again from the kept replay id.
 */
final class ChangeStream implements Runnable {

    private static final Logger LOG = Logger.getLogger(ChangeStream.class.getName());
    static final int BATCH = 500;
    private static final Duration GATHER = Duration.ofMillis(20);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** An event's records and its replay id. */
    private record Event(List<SourceRecord> records, long replayId) {
    }

    private final ConnectorContext context;
    private final String stream;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(10_000);
    private final ProducerTemplate template;
    private final ExecutorService thread;
    private volatile boolean stopped;

    ChangeStream(ConnectorContext context, String stream, CamelContext camel) {
        this.context = context;
        this.stream = stream;
        this.template = camel.createProducerTemplate();
        this.thread = camel.getExecutorServiceManager().newSingleThreadExecutor(this, context.id() + "-" + stream);
        thread.execute(this);
    }

    /** An event from the stream; waits while the ledger is behind by a full queue. */
    void offer(InboundBatch changes, long replayId) throws InterruptedException {
        queue.put(new Event(changes.records(), replayId));
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Event first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<SourceRecord> records = new ArrayList<>(first.records());
                long replayId = first.replayId();
                long deadline = System.nanoTime() + GATHER.toNanos();
                while (records.size() < BATCH) {
                    Event next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    records.addAll(next.records());
                    replayId = Math.max(replayId, next.replayId());
                }
                settle(new InboundBatch(records), replayId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void settle(InboundBatch batch, long replayId) throws InterruptedException {
        while (!stopped) {
            try {
                if (!batch.records().isEmpty()) {
                    template.requestBody(context.inboundEndpoint(), batch, InboundReport.class);
                }
                context.cursors().save(stream, Long.toString(replayId));
                context.reporter().reachable();
                return;
            } catch (RuntimeException e) {
                context.reporter().unreachable("cannot settle the events up to replay id " + replayId + " of "
                        + stream + ": " + e.getMessage() + "; trying again");
                LOG.log(Level.FINE, "Connector " + context.id() + ": events of " + stream + " not settled", e);
                Thread.sleep(RETRY.toMillis());
            }
        }
    }

    void stop() {
        stopped = true;
        thread.shutdownNow();
        try {
            template.close();
        } catch (Exception e) {
            // the context is stopping anyway
        }
    }
}
