package org.meshledger.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.ledger.json.Json;

class WebhookRequestsTest {

    @Test
    void recordsTakeTheirIdFromTheKeyFieldAndTheirChangeIdFromTheRequest() {
        InboundBatch batch = WebhookRequests.parse("payments", Json.parse("[{\"ref\": \"PAY-1\"}, {\"ref\": \"PAY-2\"}]"),
                "ref", "req-7");
        assertEquals("PAY-2", batch.records().get(1).externalId());
        assertEquals("req-7/1", batch.records().get(1).changeId());
        // Without a key every request is a change of its own: A, B, A ends at A (the ledger writes nothing for a
        // record it already holds, so a plain resend settles quietly).
        InboundBatch a = WebhookRequests.parse("payments", Json.parse("[{\"ref\": \"PAY-1\", \"s\": 1}]"), "ref", null);
        InboundBatch again = WebhookRequests.parse("payments", Json.parse("[{\"s\": 1, \"ref\": \"PAY-1\"}]"), "ref",
                null);
        assertNotEquals(a.records().get(0).changeId(), again.records().get(0).changeId());
    }

    @Test
    void badRequestsSayWhat() {
        assertEquals("records must be a non-empty list of objects", assertThrows(IllegalArgumentException.class,
                () -> WebhookRequests.parse("p", Json.parse("{}"), "ref", null)).getMessage());
        assertEquals("records[1] must be an object", assertThrows(IllegalArgumentException.class,
                () -> WebhookRequests.parse("p", Json.parse("[{}, 3]"), "ref", null)).getMessage());
    }
}
