package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createSecurity;
import static org.meshledger.ledger.block.Records.update;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.events.BlockEvents;
import org.meshledger.ledger.events.EventPublisher;
import org.meshledger.ledger.events.EventRelay;
import org.meshledger.ledger.events.PartyEvent;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.persistence.health.EventRelayStatus;
import org.meshledger.persistence.health.EventsHealth;
import org.meshledger.persistence.health.InboundPortStatus;
import org.meshledger.persistence.ledger.EventDeadLetterStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * One event the broker refuses for itself does not stall the stream: it is dead-lettered with its
 * reason (and without its data), the block's other events and the later blocks are published, and
 * the events health check says so; a broker that is away is still retried and dead-letters nothing.
 */
class EventDeadLetterTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SID = new MeshPrincipal(new PartyId("securitizer"), PrincipalKind.USER, "sid",
            "sub-sid", Set.of(Role.VIEWER, Role.EDITOR, Role.PARTY_ADMIN));
    private static final String TOO_LARGE = "RecordTooLargeException: The message is 1048712 bytes when serialized "
            + "which is larger than 1048576, which is the value of the max.request.size configuration.";

    /**
     * Refuses the given events (party and event id) every time, as a producer refuses a message too
     * large; keeps the others; fails the first {@code brokerAway} publications as a broker that is
     * away (with the refusals met on the way).
     */
    private static final class Refusing implements EventPublisher {
        final Set<String> refuse;
        final List<PartyEvent> events = new ArrayList<>();
        final Map<String, Integer> offered = new HashMap<>();
        final AtomicInteger brokerAway;

        Refusing(int brokerAway, String... refuse) {
            this.refuse = Set.of(refuse);
            this.brokerAway = new AtomicInteger(brokerAway);
        }

        @Override
        public void prepare(Collection<PartyId> parties) {
        }

        @Override
        public synchronized List<Refusal> publish(List<PartyEvent> batch) throws NotPublishedException {
            List<Refusal> refused = new ArrayList<>();
            List<PartyEvent> accepted = new ArrayList<>();
            for (PartyEvent event : batch) {
                String name = name(event);
                offered.merge(name, 1, Integer::sum);
                if (refuse.contains(name)) {
                    refused.add(new Refusal(event, TOO_LARGE));
                } else {
                    accepted.add(event);
                }
            }
            if (brokerAway.getAndDecrement() > 0) {
                throw new NotPublishedException(new org.apache.kafka.common.errors.TimeoutException(
                        "Expiring 3 record(s) for meshledger.mortgage-servicing.servicer.records-0"), refused);
            }
            events.addAll(accepted);
            return refused;
        }

        synchronized List<String> of(String party) {
            return events.stream().filter(e -> e.party().value().equals(party)).map(e -> e.event().getId()).toList();
        }

        synchronized int offered(String name) {
            return offered.getOrDefault(name, 0);
        }

        @Override
        public void close() {
        }
    }

    private static String name(PartyEvent event) {
        return event.party().value() + " " + event.event().getId();
    }

    private static EventRelay relay(TestLedger ledger, EventPublisher publisher) {
        return new EventRelay(DemoNetwork.get(), new BlockEvents(DemoNetwork.get(), new AccessPolicy()),
                new OutboxStore(ledger.dataSource, ledger.store), new EventDeadLetterStore(ledger.dataSource),
                ledger.chain, () -> publisher, "test", Clock.systemUTC());
    }

    /** Runs the relay on its thread until the outbox is empty (or 20 s). */
    private static void runUntilPublished(TestLedger ledger, EventRelay relay) throws Exception {
        OutboxStore outbox = new OutboxStore(ledger.dataSource, ledger.store);
        Thread thread = new Thread(relay, "relay");
        thread.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (outbox.backlog().blocks() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            relay.stop();
            thread.join(5000);
        }
    }

    private static Map<String, Object> health(TestLedger ledger) {
        return EventsHealth.report(ledger.dataSource, EventRelayStatus.current(), Map.of(), 0, Instant.now(),
                EventsHealth.STALLED_AFTER);
    }

    @Test
    void anEventRefusedForItselfIsDeadLetteredWithItsReasonAndTheOthersAndLaterBlocksArePublished() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"), createBorrower("B-2"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 1, "{\"fullName\": \"Ada Lovelace\"}"));
            ledger.commit(SID, null, createSecurity("S-1"));
            Refusing publisher = new Refusing(0, "servicer Borrower/B-1/1");
            EventRelay relay = relay(ledger, publisher);

            runUntilPublished(ledger, relay);

            OutboxStore outbox = new OutboxStore(ledger.dataSource, ledger.store);
            assertEquals(0, outbox.backlog().blocks(), "every block is marked published, the refused event's too");
            assertEquals(List.of("Borrower/B-2/1", "Borrower/B-1/2", "Security/S-1/1"), publisher.of("servicer"),
                    "the servicer gets the other record of the block and the later blocks");
            assertEquals(List.of("Borrower/B-1/1", "Borrower/B-2/1", "Borrower/B-1/2", "Security/S-1/1"),
                    publisher.of("securitizer"), "another party gets the same version: only the servicer's was refused");

            try (Connection c = ledger.dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT party, record_type, record_id, record_version, event_id, "
                            + "block_height, reason, dead_lettered_at, resolved_at FROM event_dead_letter")) {
                assertTrue(rs.next());
                assertEquals("servicer", rs.getString(1));
                assertEquals("Borrower", rs.getString(2));
                assertEquals("B-1", rs.getString(3));
                assertEquals(1, rs.getInt(4));
                assertEquals("Borrower/B-1/1", rs.getString(5));
                assertEquals(1, rs.getLong(6));
                assertEquals(TOO_LARGE, rs.getString(7));
                assertTrue(rs.getTimestamp(8) != null && rs.getTimestamp(9) == null, "dead-lettered, open");
                assertFalse(rs.next(), "one letter");
            }
            assertEquals(List.of("block_height", "dead_lettered_at", "event_id", "id", "party", "reason", "record_id",
                    "record_type", "record_version", "resolved_at", "resolved_by"), columns(ledger),
                    "a letter names the event, never its data: a purge leaves nothing behind there");

            Map<String, Object> health = health(ledger);
            assertEquals("degraded", health.get("status"), health.toString());
            assertEquals(1L, health.get("deadLettered"));
            assertEquals("servicer Borrower/B-1/1 (block 1): " + TOO_LARGE, health.get("lastDeadLetter"));
            assertTrue(String.valueOf(health.get("degraded")).startsWith("1 events dead-lettered"), health.toString());
            assertEquals(false, health.get("stalled"));

            // After a restart between publishing and marking, the block goes out again, without the letter.
            relay.publishBlocks(publisher, 1, ledger.chain.height());
            assertEquals(1, publisher.offered("servicer Borrower/B-1/1"), "a dead-lettered event is not offered again");
            assertEquals(2, publisher.offered("servicer Borrower/B-2/1"), "the others are (at least once)");
            assertEquals(1, ledger.count("SELECT count(*) FROM event_dead_letter"));

            assertTrue(new EventDeadLetterStore(ledger.dataSource).resolve("servicer", "Borrower/B-1/1", "ops",
                    Instant.now()));
            assertEquals("ok", health(ledger).get("status"), "a resolved letter is no longer counted");
            assertEquals(0L, health(ledger).get("deadLettered"));
        }
    }

    @Test
    void refusalsMetInABatchThatFailsAreDeadLetteredAndItsRetryLeavesThemOut() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"), createBorrower("B-2"));
            ledger.commit(SAM, null, createBorrower("B-3"));
            Refusing publisher = new Refusing(1, "servicer Borrower/B-2/1");

            runUntilPublished(ledger, relay(ledger, publisher));

            assertEquals(0, new OutboxStore(ledger.dataSource, ledger.store).backlog().blocks());
            assertEquals(List.of("Borrower/B-1/1", "Borrower/B-3/1"), publisher.of("servicer"));
            assertEquals(1, publisher.offered("servicer Borrower/B-2/1"), "refused once, never offered again");
            assertEquals(2, publisher.offered("servicer Borrower/B-1/1"), "the failed batch was published again");
            assertEquals(1, ledger.count("SELECT count(*) FROM event_dead_letter WHERE event_id = 'Borrower/B-2/1'"));
        }
    }

    @Test
    void aBrokerThatIsAwayIsRetriedAndNothingIsDeadLettered() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, createBorrower("B-2"));
            Refusing publisher = new Refusing(2);

            runUntilPublished(ledger, relay(ledger, publisher));

            assertEquals(0, new OutboxStore(ledger.dataSource, ledger.store).backlog().blocks(),
                    "caught up after two failed attempts");
            assertEquals(List.of("Borrower/B-1/1", "Borrower/B-2/1"), publisher.of("servicer"));
            assertEquals(0, ledger.count("SELECT count(*) FROM event_dead_letter"), "a broker away refuses nothing");
            Map<String, Object> health = health(ledger);
            assertEquals("ok", health.get("status"), health.toString());
            assertEquals(0L, health.get("deadLettered"));
        }
    }

    @Test
    void aRelayThatHasNotAdvancedForLongWhileBlocksWaitIsStalled() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            Instant now = Instant.now();
            Instant later = now.plus(Duration.ofMinutes(10));
            EventRelayStatus.Snapshot retrying = new EventRelayStatus.Snapshot(EventRelayStatus.State.RETRYING,
                    "cannot publish to test: broker away", 0, now, now);

            Map<String, Object> fresh = EventsHealth.report(ledger.dataSource, retrying, Map.of(), 0, now,
                    Duration.ofMinutes(5));
            assertEquals("ok", fresh.get("status"), "a backlog of a few seconds is not a stall: " + fresh);

            Map<String, Object> stalled = EventsHealth.report(ledger.dataSource, retrying, Map.of(), 0, later,
                    Duration.ofMinutes(5));
            assertEquals("degraded", stalled.get("status"), stalled.toString());
            assertEquals(true, stalled.get("stalled"));
            assertEquals(1L, stalled.get("backlogBlocks"));
            assertTrue(String.valueOf(stalled.get("degraded")).contains("has not advanced for 600 s while 1 blocks wait"),
                    stalled.toString());

            EventRelayStatus.Snapshot advancing = new EventRelayStatus.Snapshot(EventRelayStatus.State.PUBLISHING,
                    "publishing to test", 7, later, later.minusSeconds(1));
            assertEquals("ok", EventsHealth.report(ledger.dataSource, advancing, Map.of(), 0, later,
                    Duration.ofMinutes(5)).get("status"), "a relay that advances while catching up is not stalled");
            EventRelayStatus.Snapshot off = new EventRelayStatus.Snapshot(EventRelayStatus.State.NOT_CONFIGURED,
                    "no Kafka configured", 0, now, now);
            assertEquals("ok", EventsHealth.report(ledger.dataSource, off, Map.of(), 0, later,
                    Duration.ofMinutes(5)).get("status"), "without Kafka, events wait in the outbox by design");

            Map<String, Object> inbound = EventsHealth.report(ledger.dataSource, advancing,
                    Map.of("meshledger.mortgage-servicing.servicer.inbound-0",
                            new InboundPortStatus.Held(now, "offset 4: The ledger cannot be read or written now")),
                    3, later, Duration.ofMinutes(5));
            assertEquals("degraded", inbound.get("status"), inbound.toString());
            assertEquals(3L, inbound.get("inboundDeadLettered"));
            assertTrue(String.valueOf(inbound.get("inboundHeld")).startsWith(
                    "meshledger.mortgage-servicing.servicer.inbound-0 for 600 s: offset 4"), inbound.toString());
        }
    }

    private static List<String> columns(TestLedger ledger) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = ledger.dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns "
                        + "WHERE table_name = 'event_dead_letter' ORDER BY column_name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
