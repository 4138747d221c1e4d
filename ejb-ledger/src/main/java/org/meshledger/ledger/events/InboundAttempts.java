package org.meshledger.ledger.events;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.meshledger.ledger.ordering.LedgerUnavailableException;

/**
 * What the inbound port does with a message it could not settle (neither committed nor refused with
 * a reason), partition by partition, so that one message never holds its stream for ever and one
 * party's stream never holds up another's:
 * <ul>
 * <li>the ledger away ({@link LedgerUnavailableException}, but for a data error): the message is
 * held and tried again after a pause from 2 s doubling to 1 min, as long as it takes; only its
 * partition waits, the others go on;</li>
 * <li>a failure of the message itself (any other exception, or a value the database refuses:
 * SQLSTATE class 22): tried {@value #MAX_ATTEMPTS} times in all with the same pauses, then given up:
 * it goes to the dead-letter topic with code {@code failed} and is not read again.</li>
 * </ul>
 * Used from the port's thread only.
 */
public final class InboundAttempts {

    /** Attempts in all of a message that fails for itself before it is dead-lettered. */
    public static final int MAX_ATTEMPTS = 3;
    private static final Duration FIRST = Duration.ofSeconds(2);
    private static final Duration LAST = Duration.ofMinutes(1);

    /** What to do with a message that could not be settled. */
    public sealed interface Decision permits Retry, GiveUp {
    }

    /** Hold its partition and try the message again at {@code at}. */
    public record Retry(Instant at, String reason) implements Decision {
    }

    /** Dead-letter it with this rejection and go on. */
    public record GiveUp(InboundRejection rejection) implements Decision {
    }

    private record Failing(long offset, int attempts, Instant retryAt) {
    }

    private final Map<String, Failing> failing = new HashMap<>();

    /**
     * The message at {@code offset} of {@code partition} ({@code topic-partition}) failed with
     * {@code failure} at {@code now}.
     */
    public Decision failed(String partition, long offset, RuntimeException failure, Instant now) {
        Failing before = failing.get(partition);
        int attempts = before != null && before.offset() == offset ? before.attempts() + 1 : 1;
        String reason = describe(failure);
        if (ownFailure(failure) && attempts >= MAX_ATTEMPTS) {
            failing.remove(partition);
            return new GiveUp(new InboundRejection("failed", "it failed " + attempts + " times: " + reason));
        }
        return retry(partition, offset, attempts, reason, now);
    }

    /**
     * The message at {@code offset} of {@code partition} cannot be settled now for a reason that is
     * not its own (its dead-letter topic cannot be written): it waits, as long as it takes.
     */
    public Retry held(String partition, long offset, String reason, Instant now) {
        Failing before = failing.get(partition);
        return retry(partition, offset, before != null && before.offset() == offset ? before.attempts() + 1 : 1,
                reason, now);
    }

    private Retry retry(String partition, long offset, int attempts, String reason, Instant now) {
        Duration pause = FIRST.multipliedBy(1L << Math.min(attempts - 1, 10));
        Instant at = now.plus(pause.compareTo(LAST) > 0 ? LAST : pause);
        failing.put(partition, new Failing(offset, attempts, at));
        return new Retry(at, reason);
    }

    /**
     * Whether the partition's next message may be tried at {@code now} (true when nothing of it
     * failed, or its pause is over).
     */
    public boolean due(String partition, Instant now) {
        Failing held = failing.get(partition);
        return held == null || !now.isBefore(held.retryAt());
    }

    /** Whether the message at {@code offset} failed before and waits until its pause is over. */
    public boolean waiting(String partition, long offset, Instant now) {
        Failing held = failing.get(partition);
        return held != null && held.offset() == offset && now.isBefore(held.retryAt());
    }

    /** The partition's message was settled (committed, refused or dead-lettered). */
    public void settled(String partition) {
        failing.remove(partition);
    }

    /** Whether the failure is the message's own (not the ledger being away). */
    static boolean ownFailure(RuntimeException failure) {
        if (!(failure instanceof LedgerUnavailableException)) {
            return true;
        }
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return failure instanceof LedgerUnavailableException ? message
                : failure.getClass().getSimpleName() + ": " + message;
    }
}
