package org.meshledger.persistence.ledger;

import java.time.Instant;
import java.util.List;

/** A row of {@code read_receipt}: who was shown which classified fields of which record version, and how. */
public record ReadReceiptRow(Instant readAt, String readerParty, String readerKind, String readerName, String path,
        String type, String id, int version, String ownerParty, List<String> fields) {

    public ReadReceiptRow {
        fields = List.copyOf(fields);
    }
}
