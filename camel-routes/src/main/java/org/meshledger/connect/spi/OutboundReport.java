package org.meshledger.connect.spi;

import java.util.List;

/** The system's answers for an outbound batch, one per record. */
public record OutboundReport(List<WriteResult> results) {

    public OutboundReport {
        results = List.copyOf(results);
    }
}
