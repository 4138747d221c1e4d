package org.meshledger.ledger.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Node and caller limits, isolation of callers, release on failure and the rate per minute. */
class AdmissionTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private Admission admission(WorkKind kind, AdmissionLimits limits) {
        return new Admission(Map.of(kind, limits), clock::get);
    }

    @Test
    void aCallerAtItsLimitIsRefusedAndAnotherCallerIsNot() {
        Admission admission = admission(WorkKind.EXPORT, new AdmissionLimits(3, 1, 0));
        Admission.Permit first = admission.enter(WorkKind.EXPORT, "servicer/jane");

        AdmissionRefusedException refused = assertThrows(AdmissionRefusedException.class,
                () -> admission.enter(WorkKind.EXPORT, "servicer/jane"));
        assertEquals(WorkKind.EXPORT, refused.kind());
        assertTrue(refused.getMessage().contains("exports one caller may run at a time"), refused.getMessage());
        assertEquals(WorkKind.EXPORT.busySeconds(), refused.retryAfterSeconds());

        // Another principal of the same party, and the same name in another party, are other callers.
        try (Admission.Permit other = admission.enter(WorkKind.EXPORT, "servicer/joe");
                Admission.Permit sameName = admission.enter(WorkKind.EXPORT, "lender/jane")) {
            assertEquals(3, admission.running(WorkKind.EXPORT));
        }
        first.close();
        assertEquals(0, admission.running(WorkKind.EXPORT));
        admission.enter(WorkKind.EXPORT, "servicer/jane").close();
    }

    @Test
    void theNodeLimitHoldsAcrossCallers() {
        Admission admission = admission(WorkKind.PROOF, new AdmissionLimits(2, 2, 0));
        Admission.Permit a = admission.enter(WorkKind.PROOF, "servicer/a");
        Admission.Permit b = admission.enter(WorkKind.PROOF, "lender/b");

        AdmissionRefusedException refused = assertThrows(AdmissionRefusedException.class,
                () -> admission.enter(WorkKind.PROOF, "investor/c"));
        assertTrue(refused.getMessage().contains("This node already runs 2 proofs"), refused.getMessage());
        assertEquals(1, refused.retryAfterSeconds());

        b.close();
        admission.enter(WorkKind.PROOF, "investor/c").close();
        a.close();
        assertEquals(0, admission.running(WorkKind.PROOF));
    }

    @Test
    void kindsAreBoundedApart() {
        Admission admission = new Admission(Map.of(WorkKind.EXPORT, new AdmissionLimits(1, 1, 0),
                WorkKind.PROOF, new AdmissionLimits(1, 1, 0)), clock::get);
        try (Admission.Permit export = admission.enter(WorkKind.EXPORT, "servicer/jane");
                Admission.Permit proof = admission.enter(WorkKind.PROOF, "servicer/jane")) {
            assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.EXPORT, "lender/joe"));
            assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.PROOF, "lender/joe"));
        }
    }

    @Test
    void aPermitIsReleasedWhenTheWorkFailsAndOnlyOnce() {
        Admission admission = admission(WorkKind.VERIFICATION, new AdmissionLimits(1, 1, 0));
        assertThrows(IllegalStateException.class, () -> {
            try (Admission.Permit permit = admission.enter(WorkKind.VERIFICATION, "servicer/admin")) {
                throw new IllegalStateException("the database went away");
            }
        });
        assertEquals(0, admission.running(WorkKind.VERIFICATION));

        Admission.Permit permit = admission.enter(WorkKind.VERIFICATION, "servicer/admin");
        permit.close();
        permit.close();
        Admission.Permit next = admission.enter(WorkKind.VERIFICATION, "lender/admin");
        permit.close();
        // The repeated close did not release the other caller's place.
        assertEquals(1, admission.running(WorkKind.VERIFICATION));
        assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.VERIFICATION, "investor/admin"));
        next.close();
    }

    @Test
    void aRefusalTakesNoPlace() {
        Admission admission = admission(WorkKind.EXPORT, new AdmissionLimits(1, 1, 0));
        Admission.Permit held = admission.enter(WorkKind.EXPORT, "servicer/jane");
        for (int i = 0; i < 5; i++) {
            assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.EXPORT, "lender/joe"));
        }
        assertEquals(0, admission.running(WorkKind.EXPORT, "lender/joe"));
        held.close();
        admission.enter(WorkKind.EXPORT, "lender/joe").close();
    }

    @Test
    void theRatePerMinuteAllowsABurstThenRefillsEvenly() {
        Admission admission = admission(WorkKind.PROOF, new AdmissionLimits(10, 10, 3));
        for (int i = 0; i < 3; i++) {
            admission.enter(WorkKind.PROOF, "servicer/jane").close();
        }
        AdmissionRefusedException refused = assertThrows(AdmissionRefusedException.class,
                () -> admission.enter(WorkKind.PROOF, "servicer/jane"));
        assertTrue(refused.getMessage().contains("in the last minute"), refused.getMessage());
        assertEquals(20, refused.retryAfterSeconds());
        // Another caller has its own bucket.
        admission.enter(WorkKind.PROOF, "servicer/joe").close();

        clock.addAndGet(TimeUnit.SECONDS.toNanos(15));
        assertEquals(5, assertThrows(AdmissionRefusedException.class,
                () -> admission.enter(WorkKind.PROOF, "servicer/jane")).retryAfterSeconds());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        admission.enter(WorkKind.PROOF, "servicer/jane").close();
        assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.PROOF, "servicer/jane"));

        // An idle hour refills the bucket to three, not more.
        clock.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 3; i++) {
            admission.enter(WorkKind.PROOF, "servicer/jane").close();
        }
        assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.PROOF, "servicer/jane"));
    }

    @Test
    void aConcurrencyRefusalUsesNoRateToken() {
        Admission admission = admission(WorkKind.EXPORT, new AdmissionLimits(1, 1, 1));
        Admission.Permit held = admission.enter(WorkKind.EXPORT, "lender/joe");
        assertThrows(AdmissionRefusedException.class, () -> admission.enter(WorkKind.EXPORT, "servicer/jane"));
        held.close();
        admission.enter(WorkKind.EXPORT, "servicer/jane").close();
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLimits(1, 1, -1));
        Admission defaults = Admission.withDefaults();
        for (WorkKind kind : WorkKind.values()) {
            assertEquals(AdmissionLimits.defaults(kind), defaults.limits(kind));
        }
        assertEquals(1, defaults.limits(WorkKind.VERIFICATION).nodeLimit());
    }

    /**
     * Many threads racing for the places of two callers: however they interleave, no more runs than
     * the limits allow are in at once, and every place is back at the end.
     */
    @Test
    void racingThreadsNeverExceedTheLimits() throws Exception {
        Admission admission = admission(WorkKind.PROOF, new AdmissionLimits(3, 2, 0));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String caller = t % 2 == 0 ? "servicer/jane" : "lender/joe";
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        try (Admission.Permit permit = admission.enter(WorkKind.PROOF, caller)) {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            assertTrue(admission.running(WorkKind.PROOF, caller) <= 2);
                            admitted.incrementAndGet();
                            inside.decrementAndGet();
                        } catch (AdmissionRefusedException refused) {
                            // the limits at work
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(most.get() <= 3, "at most three at once, saw " + most.get());
        assertTrue(admitted.get() > 0);
        assertEquals(0, admission.running(WorkKind.PROOF));
        assertEquals(0, admission.running(WorkKind.PROOF, "servicer/jane"));
    }
}
