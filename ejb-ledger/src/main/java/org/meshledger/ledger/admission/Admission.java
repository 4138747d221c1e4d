package org.meshledger.ledger.admission;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Admission of expensive work (proofs, exports, full verification): for each {@link WorkKind}, at
 * most a node-wide number of runs at the same time, at most a number per caller (so that one caller
 * at its limit leaves room for others), and optionally at most a number of starts per caller per
 * minute. A run is admitted by {@link #enter}, which answers a {@link Permit} or refuses at once
 * (it never waits), and ends when the permit is closed.
 *
 * <p>Threads: safe for any number of threads; each call holds one short lock and does no I/O.
 * Failure: {@link #enter} throws {@link AdmissionRefusedException} and changes nothing; a permit
 * is released once however often it is closed, so closing it in a {@code finally} or a
 * try-with-resources releases it whether the work succeeded or failed. A permit never closed (a
 * bug) holds its place until the node restarts.
 */
public final class Admission {

    /** Rate buckets kept before full ones (callers who have been idle a minute) are dropped. */
    private static final int BUCKETS_KEPT = 4096;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<WorkKind, AdmissionLimits> limits;
    private final LongSupplier nanoTime;
    private final Object lock = new Object();
    private final Map<WorkKind, Integer> running = new EnumMap<>(WorkKind.class);
    private final Map<CallerKey, Integer> callerRunning = new HashMap<>();
    private final Map<CallerKey, Bucket> buckets = new HashMap<>();

    /**
     * @param limits the limits of each kind; a kind not in it gets {@link AdmissionLimits#defaults}
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}), for the rate limits
     */
    public Admission(Map<WorkKind, AdmissionLimits> limits, LongSupplier nanoTime) {
        this.limits = new EnumMap<>(WorkKind.class);
        for (WorkKind kind : WorkKind.values()) {
            this.limits.put(kind, limits.getOrDefault(kind, AdmissionLimits.defaults(kind)));
        }
        this.nanoTime = Objects.requireNonNull(nanoTime);
    }

    /** With the default limits of every kind and the system's clock. */
    public static Admission withDefaults() {
        return new Admission(Map.of(), System::nanoTime);
    }

    public AdmissionLimits limits(WorkKind kind) {
        return limits.get(kind);
    }

    /**
     * Admits one run of {@code kind} for {@code caller}, or refuses it without waiting.
     *
     * @param caller who asks, as party and principal name (e.g. {@code "servicer/jane"})
     * @return the permit to close when the run ends, however it ends
     * @throws AdmissionRefusedException if the caller or the node already runs as many of the kind as
     *         allowed, or the caller started as many as allowed in the last minute
     */
    public Permit enter(WorkKind kind, String caller) {
        AdmissionLimits bounds = limits.get(kind);
        CallerKey key = new CallerKey(kind, caller == null ? "" : caller);
        synchronized (lock) {
            int mine = callerRunning.getOrDefault(key, 0);
            if (mine >= bounds.callerLimit()) {
                throw new AdmissionRefusedException(kind, "You already run " + mine + " of the " + kind.description()
                        + " one caller may run at a time on this node; wait for " + (mine == 1 ? "it" : "one")
                        + " to finish", kind.busySeconds());
            }
            int all = running.getOrDefault(kind, 0);
            if (all >= bounds.nodeLimit()) {
                throw new AdmissionRefusedException(kind, "This node already runs " + all + " "
                        + kind.description() + ", as many as it runs at a time; try again shortly",
                        kind.busySeconds());
            }
            if (bounds.callerPerMinute() > 0) {
                long now = nanoTime.getAsLong();
                Bucket bucket = buckets.get(key);
                if (bucket == null) {
                    pruneBuckets(now);
                    bucket = new Bucket(now);
                    buckets.put(key, bucket);
                }
                long waitNanos = bucket.take(bounds.callerPerMinute(), now);
                if (waitNanos > 0) {
                    throw new AdmissionRefusedException(kind, "You started " + bounds.callerPerMinute() + " "
                            + kind.description() + " in the last minute, as many as one caller may; try again later",
                            (waitNanos + 999_999_999L) / 1_000_000_000L);
                }
            }
            callerRunning.put(key, mine + 1);
            running.put(kind, all + 1);
        }
        return new Permit(key);
    }

    /** Runs of {@code kind} admitted and not yet ended, on the node. */
    public int running(WorkKind kind) {
        synchronized (lock) {
            return running.getOrDefault(kind, 0);
        }
    }

    /** Runs of {@code kind} admitted for {@code caller} and not yet ended. */
    public int running(WorkKind kind, String caller) {
        synchronized (lock) {
            return callerRunning.getOrDefault(new CallerKey(kind, caller == null ? "" : caller), 0);
        }
    }

    private void release(CallerKey key) {
        synchronized (lock) {
            callerRunning.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            running.computeIfPresent(key.kind(), (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Drops the buckets that are full again, so that callers seen once do not stay in memory. */
    private void pruneBuckets(long now) {
        if (buckets.size() < BUCKETS_KEPT) {
            return;
        }
        for (Iterator<Map.Entry<CallerKey, Bucket>> i = buckets.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<CallerKey, Bucket> entry = i.next();
            if (entry.getValue().full(limits.get(entry.getKey().kind()).callerPerMinute(), now)) {
                i.remove();
            }
        }
    }

    /**
     * One admitted run; {@link #close} ends it (once: closing again does nothing). Safe to close
     * from another thread than the one that entered, e.g. when a background task ends.
     */
    public final class Permit implements AutoCloseable {

        private final CallerKey key;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit(CallerKey key) {
            this.key = key;
        }

        public WorkKind kind() {
            return key.kind();
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(key);
            }
        }
    }

    private record CallerKey(WorkKind kind, String caller) {
    }

    /** A token bucket of {@code perMinute} tokens, refilled evenly over a minute. Guarded by the lock. */
    private static final class Bucket {

        /** Tokens, in units of 1/perMinute-minute: a whole token is {@link #MINUTE_NANOS} of them. */
        private long nanosOfTokens;
        private long at;

        Bucket(long now) {
            nanosOfTokens = MINUTE_NANOS;
            at = now;
        }

        /** Takes a token, answering 0, or answers the nanoseconds until one is there. */
        long take(int perMinute, long now) {
            refill(perMinute, now);
            long perToken = MINUTE_NANOS / perMinute;
            if (nanosOfTokens >= perToken) {
                nanosOfTokens -= perToken;
                return 0;
            }
            return perToken - nanosOfTokens;
        }

        boolean full(int perMinute, long now) {
            refill(perMinute, now);
            return nanosOfTokens >= MINUTE_NANOS;
        }

        private void refill(int perMinute, long now) {
            long elapsed = Math.max(0, now - at);
            at = now;
            nanosOfTokens = elapsed >= MINUTE_NANOS ? MINUTE_NANOS : Math.min(MINUTE_NANOS, nanosOfTokens + elapsed);
        }
    }
}
