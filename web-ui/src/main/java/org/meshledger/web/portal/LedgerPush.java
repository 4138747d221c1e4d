package org.meshledger.web.portal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.faces.push.Push;
import jakarta.faces.push.PushContext;
import jakarta.inject.Inject;

import org.meshledger.ledger.service.LedgerEngine;

/**
 * Tells open portal pages that a block was committed, over the Faces websocket channel
 * {@code ledger}: the message is the new height only, never a record, so it can go to every page;
 * each page then asks, under its user's access, whether what it shows changed. The committed
 * height is read from memory every 200 ms, off the ordering threads.
 */
@ApplicationScoped
public class LedgerPush {

    private static final long EVERY_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(LedgerPush.class.getName());

    @Inject
    @Push(channel = "ledger")
    private PushContext ledgerChannel;

    @EJB
    private LedgerEngine engine;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private final AtomicLong pushed = new AtomicLong(-1);
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object context) {
        pushed.set(engine.chain().height());
        task = scheduler.scheduleWithFixedDelay(this::pushIfCommitted, EVERY_MILLIS, EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void pushIfCommitted() {
        try {
            long height = engine.chain().height();
            if (height != pushed.getAndSet(height)) {
                ledgerChannel.send(height);
            }
        } catch (RuntimeException e) {
            // A failed send must not end the schedule: the next block is pushed again.
            LOG.log(Level.WARNING, "Could not tell portal pages of a committed block", e);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
