package org.meshledger.connect.spi;

import java.util.List;

/**
 * What became of an inbound batch: every record is settled.
 *
 * @param committed records written to the ledger (or found already written: a redelivery)
 * @param unchanged records the ledger already held as they are, or stale changes
 * @param deadLettered records in the dead-letter store, each with its reason
 */
public record InboundReport(int committed, int unchanged, List<Failure> deadLettered) {

    /** A record that went to the dead-letter store. */
    public record Failure(String object, String externalId, String code, String reason) {
    }

    public InboundReport {
        deadLettered = List.copyOf(deadLettered);
    }
}
