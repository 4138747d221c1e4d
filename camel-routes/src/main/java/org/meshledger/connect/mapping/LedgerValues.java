package org.meshledger.connect.mapping;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A system record's values in ledger terms.
 *
 * @param id the ledger record's key, or null if the change does not carry it (a partial update)
 * @param values per field mapping, the ledger value; a JSON null where the system cleared the field
 */
public record LedgerValues(String id, Map<FieldMapping, JsonNode> values) {
}
