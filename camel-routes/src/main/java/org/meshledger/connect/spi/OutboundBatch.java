package org.meshledger.connect.spi;

import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.LinkedHashMap;

/** Records to write to the system together, at most one per record and in commit order. */
public record OutboundBatch(List<OutboundRecord> records) {

    public OutboundBatch {
        records = List.copyOf(records);
    }

    /** The records per system object, in order, for systems that write one object per request. */
    public Map<String, List<OutboundRecord>> byObject() {
        return records.stream().collect(Collectors.groupingBy(OutboundRecord::object, LinkedHashMap::new,
                Collectors.toList()));
    }
}
