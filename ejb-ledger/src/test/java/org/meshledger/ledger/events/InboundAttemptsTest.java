package org.meshledger.ledger.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.ordering.LedgerUnavailableException;

/**
 * An inbound message that cannot be settled holds its own partition only: the ledger away is waited
 * out, a message that fails for itself is given up (dead-lettered) after a few attempts; and an
 * inbound idempotency key names the event's source.
 */
class InboundAttemptsTest {

    private static final String SERVICER = "meshledger.mortgage-servicing.servicer.inbound-0";
    private static final String SECURITIZER = "meshledger.mortgage-servicing.securitizer.inbound-0";
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aMessageThatFailsForItselfIsGivenUpAfterItsAttemptsAndHoldsNoOtherPartition() {
        InboundAttempts attempts = new InboundAttempts();
        RuntimeException bug = new IllegalArgumentException("no such field");

        InboundAttempts.Decision first = attempts.failed(SERVICER, 7, bug, T0);
        assertEquals(new InboundAttempts.Retry(T0.plusSeconds(2), "IllegalArgumentException: no such field"), first);
        assertTrue(attempts.waiting(SERVICER, 7, T0.plusSeconds(1)));
        assertFalse(attempts.due(SERVICER, T0.plusSeconds(1)), "its partition waits");
        assertTrue(attempts.due(SECURITIZER, T0.plusSeconds(1)), "another party's partition goes on");
        assertTrue(attempts.due(SERVICER, T0.plusSeconds(2)));

        assertEquals(T0.plusSeconds(2 + 4), ((InboundAttempts.Retry) attempts.failed(SERVICER, 7, bug,
                T0.plusSeconds(2))).at());
        InboundAttempts.Decision third = attempts.failed(SERVICER, 7, bug, T0.plusSeconds(6));
        InboundAttempts.GiveUp giveUp = assertInstanceOf(InboundAttempts.GiveUp.class, third);
        assertEquals("failed", giveUp.rejection().code());
        assertEquals("it failed 3 times: IllegalArgumentException: no such field", giveUp.rejection().reason());
        assertTrue(attempts.due(SERVICER, T0.plusSeconds(6)), "given up: the partition goes on");

        assertInstanceOf(InboundAttempts.Retry.class, attempts.failed(SERVICER, 8, bug, T0.plusSeconds(7)),
                "the next message starts its own count");
    }

    @Test
    void theLedgerAwayIsWaitedOutAsLongAsItTakesWithAGrowingPause() {
        InboundAttempts attempts = new InboundAttempts();
        RuntimeException away = new LedgerUnavailableException("The ledger cannot be read or written now");
        Instant now = T0;
        Duration last = Duration.ZERO;
        for (int i = 0; i < 12; i++) {
            InboundAttempts.Retry retry = assertInstanceOf(InboundAttempts.Retry.class,
                    attempts.failed(SERVICER, 7, away, now));
            Duration pause = Duration.between(now, retry.at());
            assertTrue(pause.compareTo(last) >= 0 && pause.compareTo(Duration.ofMinutes(1)) <= 0, pause.toString());
            last = pause;
            now = retry.at();
        }
        assertEquals(Duration.ofMinutes(1), last, "the pause stops growing at a minute");
        attempts.settled(SERVICER);
        assertTrue(attempts.due(SERVICER, now));
    }

    @Test
    void aValueTheDatabaseRefusesIsTheMessagesOwnFailure() {
        RuntimeException refused = new LedgerUnavailableException("The ledger could not write this transaction's block",
                new SQLException("unsupported Unicode escape sequence", "22P05"));
        RuntimeException away = new LedgerUnavailableException("cannot reach the database",
                new SQLException("Connection refused", "08001"));
        assertTrue(InboundAttempts.ownFailure(refused));
        assertFalse(InboundAttempts.ownFailure(away));

        InboundAttempts attempts = new InboundAttempts();
        attempts.failed(SERVICER, 1, refused, T0);
        attempts.failed(SERVICER, 1, refused, T0.plusSeconds(2));
        assertInstanceOf(InboundAttempts.GiveUp.class, attempts.failed(SERVICER, 1, refused, T0.plusSeconds(6)));
    }

    @Test
    void anInboundIdempotencyKeyNamesTheEventsSourceAndId() {
        CloudEvent crm = CloudEventBuilder.v1().withId("7731").withSource(URI.create("/crm/servicer"))
                .withType(InboundSubmissions.TRANSACTION_TYPE).build();
        CloudEvent erp = CloudEventBuilder.v1().withId("7731").withSource(URI.create("/erp/servicer"))
                .withType(InboundSubmissions.TRANSACTION_TYPE).build();
        assertEquals("/crm/servicer 7731", InboundSubmissions.idempotencyKey(crm));
        assertNotEquals(InboundSubmissions.idempotencyKey(crm), InboundSubmissions.idempotencyKey(erp),
                "two systems that number their events alike do not collide");
    }
}
