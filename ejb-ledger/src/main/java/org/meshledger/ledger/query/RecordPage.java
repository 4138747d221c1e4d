package org.meshledger.ledger.query;

import java.util.List;

/** A page of a list of records. */
public record RecordPage(List<RecordView> items, int page, int size, long total) {
}
