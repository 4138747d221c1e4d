package org.meshledger.connect.spi;

import java.util.List;

/**
 * What a connector needs to know of one mapping: the system object, the ledger type, and the system
 * fields it uses.
 *
 * @param keyField the system field that holds the ledger record's key (the external id that
 *        outbound writes upsert by)
 * @param fields every system field the mapping reads or writes
 * @param settings the mapping's connector-specific settings (e.g. a file's layout), or empty
 */
public record ObjectMapping(String object, String type, boolean inbound, boolean outbound, String keyField,
        List<String> fields, ConnectorSettings settings) {

    public ObjectMapping {
        fields = List.copyOf(fields);
    }
}
