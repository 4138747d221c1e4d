package org.meshledger.connect.service;

import java.time.Instant;
import java.util.List;

/**
 * A connector as its party's operators see it: what it connects, how it is doing, and what waits in
 * its dead-letter store.
 *
 * @param state starting, running, retrying, failed, disabled or stopped
 * @param outboundLagBlocks blocks committed that it has not written yet (0 if it writes nothing)
 * @param deadLetters open dead letters
 */
public record ConnectorView(String id, String kind, String party, String system, String state, String detail,
        boolean reads, boolean writes, Instant lastInboundAt, Instant lastOutboundAt, long inboundRecords,
        long outboundRecords, long errors, String lastError, Instant lastErrorAt, long outboundHeight,
        long outboundLagBlocks, long deadLetters, List<Mapping> mappings) {

    /** One mapping: a ledger type and a system object, and which way records move. */
    public record Mapping(String type, String object, String direction) {
    }
}
