package org.meshledger.connect.spi;

import java.util.List;

/** Changes read from the system together (a page, a file, a streamed event), in the system's order. */
public record InboundBatch(List<SourceRecord> records) {

    public InboundBatch {
        records = List.copyOf(records);
    }

    public static InboundBatch of(SourceRecord... records) {
        return new InboundBatch(List.of(records));
    }
}
