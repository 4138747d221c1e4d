package org.meshledger.connect.runtime;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.json.Decimals;

/**
 * A system record's fields against what the connector last read or wrote of it: what differs is what
 * the system changed since (inbound) or what the ledger has that the system does not (outbound).
 * Values compare as the systems mean them: 1500 and "1500.00" are the same amount.
 */
final class SystemState {

    private SystemState() {
    }

    /** The fields whose value differs from the known state (null or missing counts as empty). */
    static ObjectNode changes(ObjectNode fields, JsonNode known) {
        ObjectNode changed = fields.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!same(field.getValue(), known.get(field.getKey()))) {
                changed.set(field.getKey(), field.getValue());
            }
        }
        return changed;
    }

    static boolean same(JsonNode a, JsonNode b) {
        boolean aEmpty = a == null || a.isNull();
        boolean bEmpty = b == null || b.isNull();
        if (aEmpty || bEmpty) {
            return aEmpty == bEmpty;
        }
        if (a.isValueNode() && b.isValueNode()) {
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            if (x != null && y != null) {
                return x.compareTo(y) == 0;
            }
            return a.asText().equals(b.asText());
        }
        return a.equals(b);
    }

    private static BigDecimal number(JsonNode value) {
        try {
            if (value.isNumber()) {
                return Decimals.bounded(value.decimalValue());
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                return null;
            }
            return Decimals.parse(value.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
