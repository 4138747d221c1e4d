package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createSecurity;
import static org.meshledger.ledger.block.Records.grant;
import static org.meshledger.ledger.block.Records.revoke;
import static org.meshledger.ledger.block.Records.update;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

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
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.persistence.ledger.EventDeadLetterStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * The outbox relay's logic on a real PostgreSQL, with a publisher that keeps what it is given: what
 * each party's topic gets, in which order, and that nothing is lost when publishing fails.
 */
class EventRelayTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SID = new MeshPrincipal(new PartyId("securitizer"), PrincipalKind.USER, "sid",
            "sub-sid", Set.of(Role.VIEWER, Role.EDITOR, Role.PARTY_ADMIN));

    /** Keeps the events; fails the first {@code failures} publications. */
    private static final class Recording implements EventPublisher {
        final List<PartyEvent> events = new ArrayList<>();
        final AtomicInteger failures;

        Recording(int failures) {
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public void prepare(Collection<PartyId> parties) {
        }

        @Override
        public synchronized List<Refusal> publish(List<PartyEvent> batch) {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("broker away");
            }
            events.addAll(batch);
            return List.of();
        }

        synchronized List<PartyEvent> of(String party) {
            return events.stream().filter(e -> e.party().value().equals(party)).toList();
        }

        @Override
        public void close() {
        }
    }

    private static EventRelay relay(TestLedger ledger, OutboxStore outbox, EventPublisher publisher) {
        return new EventRelay(DemoNetwork.get(), new BlockEvents(DemoNetwork.get(), new AccessPolicy()), outbox,
                new EventDeadLetterStore(ledger.dataSource), ledger.chain, () -> publisher, "test", Clock.systemUTC());
    }

    private static JsonNode data(PartyEvent event) {
        return Json.parse(new String(event.event().getData().toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void eachPartyGetsTheVersionsItReadsWithTheFieldsItReadsInOrderWithStableIds() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, update("Borrower", "B-1", 1, "{\"fullName\": \"Ada Lovelace\"}"));
            ledger.commit(SID, null, createSecurity("S-1"));
            OutboxStore outbox = new OutboxStore(ledger.dataSource, ledger.store);
            Recording publisher = new Recording(0);
            assertEquals(List.of(1L, 2L, 3L), outbox.unpublished(10, 100));
            assertEquals(List.of(1L), outbox.unpublished(10, 1), "a batch holds a bounded number of transactions");

            relay(ledger, outbox, publisher).publishBlocks(publisher, 1, ledger.chain.height());

            List<PartyEvent> servicer = publisher.of("servicer");
            assertEquals(List.of("Borrower/B-1/1", "Borrower/B-1/2", "Security/S-1/1"),
                    servicer.stream().map(e -> e.event().getId()).toList());
            assertEquals("org.meshledger.record.create", servicer.get(0).event().getType());
            assertEquals("Borrower/B-1", servicer.get(0).key());
            JsonNode updated = data(servicer.get(1));
            assertEquals("{\"$ref\":\"/api/records/Borrower/B-1/versions/2#/taxId\",\"classification\":\"pii\"}",
                    updated.at("/state/taxId").toString(), "the servicer reads the tax id, through the API only");
            assertEquals("[{\"op\":\"replace\",\"path\":\"/fullName\",\"value\":{\"$ref\":"
                    + "\"/api/records/Borrower/B-1/versions/2#/fullName\",\"classification\":\"pii\"}}]",
                    updated.get("change").toString(), "a changed pii field is replaced by a reference, not a value");
            for (PartyEvent event : servicer) {
                String text = new String(event.event().getData().toBytes(), StandardCharsets.UTF_8);
                assertFalse(text.contains("123-45-6789") || text.contains("Ada"), "no pii by value: " + text);
            }
            assertEquals(2, updated.get("blockHeight").asLong());
            assertEquals("servicer", updated.get("party").asText());
            assertEquals("sam", updated.get("principal").asText());
            assertEquals(ledger.store.version(new org.meshledger.persistence.ledger.RecordKey("Borrower", "B-1"), 2)
                    .map(v -> LedgerHashing.base64(v.hash())).orElseThrow(), updated.get("hash").asText());

            List<PartyEvent> securitizer = publisher.of("securitizer");
            assertEquals(3, securitizer.size());
            for (PartyEvent event : securitizer) {
                String text = new String(event.event().getData().toBytes(), StandardCharsets.UTF_8);
                assertFalse(text.contains("123-45-6789") || text.contains("Ada"), "no tax id, no name: " + text);
            }
            assertEquals("[]", data(securitizer.get(1)).get("change").toString(),
                    "a change of a field it may not read is a version with no visible change");
            assertTrue(publisher.of("home-owner").isEmpty(),
                    "home owners read borrowers and securities only as their rows rules allow: not on a party topic");

            assertEquals(0, outbox.backlog().blocks(), "every block is marked published");
            assertTrue(outbox.unpublished(10, 100).isEmpty());
        }
    }

    @Test
    void aGrantBringsTheRecordToThePartyAndARevocationTakesItAway() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SID, null, createSecurity("S-1"));
            ledger.commit(SID, null, grant("Security", "S-1", "{\"read\": [\"home-owner\"]}"));
            ledger.commit(SID, null, revoke("Security", "S-1", "{\"read\": [\"home-owner\"]}"));
            OutboxStore outbox = new OutboxStore(ledger.dataSource, ledger.store);
            Recording publisher = new Recording(0);

            relay(ledger, outbox, publisher).publishBlocks(publisher, 1, ledger.chain.height());

            List<PartyEvent> homeOwner = publisher.of("home-owner");
            assertEquals(List.of("org.meshledger.record.grant", BlockEvents.ACCESS_REVOKED),
                    homeOwner.stream().map(e -> e.event().getType()).toList());
            assertEquals("Pool S-1", data(homeOwner.get(0)).at("/state/name").asText());
            assertEquals("add", data(homeOwner.get(0)).at("/change/0/op").asText(), "new to it: all of it is added");
            assertTrue(data(homeOwner.get(1)).get("state").isNull(), "revoked: nothing of it remains");
            assertEquals(3, publisher.of("servicer").size(), "the others see each version");
        }
    }

    @Test
    void whilePublishingFailsTheOutboxKeepsEverythingAndTheRelayCatchesUpByItself() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            OutboxStore outbox = new OutboxStore(ledger.dataSource, ledger.store);
            Recording publisher = new Recording(2);
            EventRelay relay = relay(ledger, outbox, publisher);
            Thread thread = new Thread(relay, "relay");
            thread.start();
            try {
                for (int i = 1; i <= 5; i++) {
                    ledger.commit(SAM, null, createBorrower("B-" + i));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (outbox.backlog().blocks() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                relay.stop();
                thread.join(5000);
            }
            assertEquals(0, outbox.backlog().blocks(), "caught up after two failed attempts");
            assertEquals(0, ledger.count("SELECT count(*) FROM event_dead_letter"), "a broker away refuses nothing");
            assertEquals(List.of("Borrower/B-1/1", "Borrower/B-2/1", "Borrower/B-3/1", "Borrower/B-4/1", "Borrower/B-5/1"),
                    publisher.of("servicer").stream().map(e -> e.event().getId()).distinct().toList());
        }
    }
}
