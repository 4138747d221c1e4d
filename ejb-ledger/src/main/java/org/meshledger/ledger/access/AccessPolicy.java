package org.meshledger.ledger.access;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.FieldRule;
import org.meshledger.ledger.schema.RecordType;

/**
 * The one place that decides what a party may read and write, from the schema's {@code x-access}
 * rules. A party reads a field if it may read the type and the field's rule (if any) names it; it
 * writes a field if it may write the type and the field's rule (if any) names it. Every read and
 * write path asks this class; none has its own copy of the rules.
 */
public final class AccessPolicy {

    public boolean canRead(PartyId party, RecordType type) {
        return type.access().read().contains(party);
    }

    public boolean canReadField(PartyId party, RecordType type, String field) {
        if (!canRead(party, type)) {
            return false;
        }
        FieldRule rule = type.field(field);
        return rule == null || rule.access().read() == null || rule.access().read().contains(party);
    }

    /**
     * What of a record's state the party may see: the readable top-level fields only, or
     * {@code null} if it may not read the type at all.
     */
    public ObjectNode readableView(PartyId party, RecordType type, JsonNode state) {
        if (!canRead(party, type) || state == null || !state.isObject()) {
            return null;
        }
        ObjectNode view = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> fields = state.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (canReadField(party, type, field.getKey())) {
                view.set(field.getKey(), field.getValue());
            }
        }
        return view;
    }

    /** Whether the party may see every field of this state (it may then see its full proof). */
    public boolean canReadAll(PartyId party, RecordType type, JsonNode state) {
        if (!canRead(party, type)) {
            return false;
        }
        for (Iterator<String> names = state.fieldNames(); names.hasNext(); ) {
            if (!canReadField(party, type, names.next())) {
                return false;
            }
        }
        return true;
    }

    /**
     * @throws AccessDeniedException naming the rule, when the party may not write the type or one of
     *         the fields it changes
     */
    public void checkWrite(PartyId party, RecordType type, Collection<String> changedFields) {
        if (!type.access().write().contains(party)) {
            String rule = "x-access.write of " + type.name() + ": " + AccessRule.describe(type.access().write());
            throw new AccessDeniedException("Party " + party + " may not write " + type.name() + " records ("
                    + rule + ")", rule);
        }
        for (String field : changedFields) {
            FieldRule rule = type.field(field);
            if (rule != null && rule.access().write() != null && !rule.access().write().contains(party)) {
                String described = "x-access.write of " + type.name() + "." + field + ": "
                        + AccessRule.describe(rule.access().write());
                throw new AccessDeniedException("Party " + party + " may not write " + type.name() + "." + field
                        + " (" + described + ")", described);
            }
        }
    }
}
