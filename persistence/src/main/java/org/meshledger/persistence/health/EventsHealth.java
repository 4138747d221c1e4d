package org.meshledger.persistence.health;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.meshledger.persistence.ledger.EventDeadLetterStore;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * What the {@code events} readiness check reports, apart from MicroProfile Health so that the
 * relay's tests read it too. It reads the outbox and the dead-letter store on the calling thread;
 * a database that cannot answer makes those fields "unknown: …", never an exception.
 */
public final class EventsHealth {

    /** A backlog older than this that the relay has not advanced on for as long is stalled. */
    public static final Duration STALLED_AFTER = Duration.ofMinutes(5);

    private EventsHealth() {
    }

    /**
     * The check's data, in order: {@code status} ({@code ok} or {@code degraded}), {@code degraded}
     * (why, when degraded), {@code relay}, {@code detail}, {@code publishedHeight},
     * {@code backlogBlocks}, {@code backlogSeconds}, {@code stalled}, {@code deadLettered} (open
     * letters), {@code lastDeadLetter} and {@code lastDeadLetterAt}, {@code inboundDeadLettered}
     * (since the start) and {@code inboundHeld} (partitions waiting, with why).
     */
    public static Map<String, Object> report(DataSource dataSource, EventRelayStatus.Snapshot relay,
            Map<String, InboundPortStatus.Held> inboundHeld, long inboundDeadLettered, Instant now,
            Duration stalledAfter) {
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> degraded = new ArrayList<>();
        data.put("status", "ok");
        data.put("relay", relay.state().name().toLowerCase(Locale.ROOT));
        data.put("detail", relay.detail());
        data.put("publishedHeight", relay.publishedHeight());
        try {
            OutboxStore.Backlog backlog = new OutboxStore(dataSource, new LedgerStore(dataSource)).backlog();
            Duration age = backlog.age(now);
            Duration still = Duration.between(relay.advancedAt(), now);
            boolean stalled = relay.state() != EventRelayStatus.State.NOT_CONFIGURED && backlog.blocks() > 0
                    && age.compareTo(stalledAfter) >= 0 && still.compareTo(stalledAfter) >= 0;
            data.put("backlogBlocks", backlog.blocks());
            data.put("backlogSeconds", age.toSeconds());
            data.put("stalled", stalled);
            if (stalled) {
                degraded.add("the relay has not advanced for " + still.toSeconds() + " s while " + backlog.blocks()
                        + " blocks wait");
            }
        } catch (SQLException | RuntimeException e) {
            data.put("backlog", "unknown: " + DatabaseDiagnosis.describe(e));
        }
        try {
            EventDeadLetterStore.Summary letters = new EventDeadLetterStore(dataSource).summary();
            data.put("deadLettered", letters.open());
            if (letters.open() > 0) {
                data.put("lastDeadLetter", letters.last());
                data.put("lastDeadLetterAt", letters.lastAt().toString());
                degraded.add(letters.open() + " events dead-lettered (event_dead_letter), the last: " + letters.last());
            }
        } catch (SQLException | RuntimeException e) {
            data.put("deadLettered", "unknown: " + DatabaseDiagnosis.describe(e));
        }
        data.put("inboundDeadLettered", inboundDeadLettered);
        if (!inboundHeld.isEmpty()) {
            StringBuilder held = new StringBuilder();
            inboundHeld.forEach((partition, h) -> {
                long seconds = Duration.between(h.since(), now).toSeconds();
                held.append(held.isEmpty() ? "" : "; ").append(partition).append(" for ").append(seconds)
                        .append(" s: ").append(h.reason());
                if (seconds >= stalledAfter.toSeconds()) {
                    degraded.add("inbound " + partition + " held for " + seconds + " s: " + h.reason());
                }
            });
            data.put("inboundHeld", held.toString());
        }
        if (!degraded.isEmpty()) {
            data.put("status", "degraded");
            Map<String, Object> ordered = new LinkedHashMap<>();
            ordered.put("status", "degraded");
            ordered.put("degraded", String.join("; ", degraded));
            ordered.putAll(data);
            return ordered;
        }
        return data;
    }
}
