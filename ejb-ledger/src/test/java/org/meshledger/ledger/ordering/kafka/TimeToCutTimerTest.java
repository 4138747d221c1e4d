package org.meshledger.ledger.ordering.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A node asks for a cut once per height, after a pending block stayed uncut for the timeout of its own clock. */
class TimeToCutTimerTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final TimeToCutTimer timer = new TimeToCutTimer(Duration.ofMillis(50), now::get);

    @Test
    void asksOncePerHeightAfterTheTimeout() {
        assertEquals(OptionalLong.empty(), timer.due(1, false));
        assertEquals(OptionalLong.empty(), timer.due(1, true), "the block just became pending");
        advance(49);
        assertEquals(OptionalLong.empty(), timer.due(1, true));
        advance(1);
        assertEquals(OptionalLong.of(1), timer.due(1, true));
        advance(500);
        assertEquals(OptionalLong.empty(), timer.due(1, true), "one per height");
        // Block 1 was cut (by anyone); block 2 starts its own wait.
        assertEquals(OptionalLong.empty(), timer.due(2, true));
        advance(50);
        assertEquals(OptionalLong.of(2), timer.due(2, true));
    }

    @Test
    void aBlockCutMeanwhileOrAFailedSendStartsTheWaitAgain() {
        timer.due(3, true);
        advance(30);
        assertEquals(OptionalLong.empty(), timer.due(3, false), "cut by size meanwhile");
        assertEquals(OptionalLong.empty(), timer.due(4, true));
        advance(50);
        assertEquals(OptionalLong.of(4), timer.due(4, true));
        timer.sendFailed(4);
        assertEquals(OptionalLong.empty(), timer.due(4, true));
        advance(50);
        assertEquals(OptionalLong.of(4), timer.due(4, true), "tried again after another timeout");
        timer.sendFailed(3);
        advance(500);
        assertEquals(OptionalLong.empty(), timer.due(4, true), "a failure for another height changes nothing");
    }

    private void advance(long millis) {
        now.addAndGet(Duration.ofMillis(millis).toNanos());
    }
}
