package org.meshledger.ledger.access;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.schema.FieldRule;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.RowRule;
import org.meshledger.persistence.ledger.RowScope;

/**
 * The one place that decides what a party may read, write and share, from the schema's
 * {@code x-access} rules and what a record's owner has shared of it ({@link RecordAccess}). Every
 * read and write path asks this class; none has its own copy of the rules.
 * <ul>
 * <li>A party reads a record if the record's grants name it for reading, or the type's rule does and
 * the record is in the scope its {@code x-access.rows} rule (if any) gives its user.</li>
 * <li>It reads a field of a record it reads if the field has no rule of its own, or the field's
 * rule or the record's grant for that field names it.</li>
 * <li>Writing is the same with the write lists.</li>
 * <li>A party administrator changes a record's access if its party owns the record or the type's
 * {@code x-access.admin} names it.</li>
 * </ul>
 * Methods without a {@link RecordAccess} decide for a record that shares nothing: what every record
 * of the type allows (what lists may filter and sort on).
 */
public final class AccessPolicy {

    /** Whether a reader sees a record, before any rows rule is looked at. */
    public enum Visibility {
        /** It reads the record. */
        VISIBLE,
        /** It reads the record if the record is in its rows scope ({@link #rowScope}). */
        IF_IN_SCOPE,
        /** The record does not exist for it. */
        HIDDEN
    }

    /**
     * A record is visible to a reader if it is shared with the reader's party; or if the type's rule
     * names the party and, when {@code x-access.rows} limits the party, the record is in its scope.
     */
    public Visibility visibility(MeshPrincipal reader, RecordType type, RecordAccess grants) {
        return visibility(reader.party(), type, grants);
    }

    /** The same for a party as a whole (its event topic): only its user's link is not known. */
    public Visibility visibility(PartyId party, RecordType type, RecordAccess grants) {
        if (!grants.readable(party) && !type.access().read().contains(party)) {
            return Visibility.HIDDEN;
        }
        // A grant to a party under a rows rule shares the record with the users it links to, not all of them.
        return type.rows(party) == null ? Visibility.VISIBLE : Visibility.IF_IN_SCOPE;
    }

    /** Whether the reader sees every record of the type, whatever is shared of each. */
    public boolean seesEveryRecord(MeshPrincipal reader, RecordType type) {
        return type.access().read().contains(reader.party()) && type.rows(reader.party()) == null;
    }

    /** The records of a type a reader is limited to by {@code x-access.rows}, or null when it is not. */
    public RowScope rowScope(MeshPrincipal reader, RecordType type) {
        RowRule rule = type.rows(reader.party());
        return rule == null ? null : rule.scopeFor(reader.link());
    }

    public boolean canRead(PartyId party, RecordType type) {
        return canRead(party, type, RecordAccess.NONE);
    }

    public boolean canRead(PartyId party, RecordType type, RecordAccess grants) {
        return type.access().read().contains(party) || grants.readable(party);
    }

    public boolean canReadField(PartyId party, RecordType type, String field) {
        return canReadField(party, type, field, RecordAccess.NONE);
    }

    public boolean canReadField(PartyId party, RecordType type, String field, RecordAccess grants) {
        if (!canRead(party, type, grants)) {
            return false;
        }
        FieldRule rule = type.field(field);
        return rule == null || rule.access().read() == null || rule.access().read().contains(party)
                || grants.fieldReadable(party, field);
    }

    /**
     * What of a record's state the party may see: the readable top-level fields only, or
     * {@code null} if it may not read the record at all.
     */
    public ObjectNode readableView(PartyId party, RecordType type, JsonNode state, RecordAccess grants) {
        if (!canRead(party, type, grants) || state == null || !state.isObject()) {
            return null;
        }
        ObjectNode view = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> fields = state.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (canReadField(party, type, field.getKey(), grants)) {
                view.set(field.getKey(), field.getValue());
            }
        }
        return view;
    }

    public ObjectNode readableView(PartyId party, RecordType type, JsonNode state) {
        return readableView(party, type, state, RecordAccess.NONE);
    }

    /**
     * @throws AccessDeniedException naming the rule, when the party may not write the record or one
     *         of the fields it changes
     */
    public void checkWrite(PartyId party, RecordType type, Collection<String> changedFields, RecordAccess grants) {
        if (!type.access().write().contains(party) && !grants.writable(party)) {
            String rule = "x-access.write of " + type.name() + ": " + AccessRule.describe(type.access().write());
            throw new AccessDeniedException("Party " + party + " may not write " + type.name() + " records ("
                    + rule + ")", rule);
        }
        for (String field : changedFields) {
            FieldRule rule = type.field(field);
            if (rule != null && rule.access().write() != null && !rule.access().write().contains(party)
                    && !grants.fieldWritable(party, field)) {
                String described = "x-access.write of " + type.name() + "." + field + ": "
                        + AccessRule.describe(rule.access().write());
                throw new AccessDeniedException("Party " + party + " may not write " + type.name() + "." + field
                        + " (" + described + ")", described);
            }
        }
    }

    public void checkWrite(PartyId party, RecordType type, Collection<String> changedFields) {
        checkWrite(party, type, changedFields, RecordAccess.NONE);
    }

    /**
     * @throws AccessDeniedException naming the rule, unless the type's {@code x-access.delete} names
     *         the party or, where the type does not say, the party owns the record
     */
    public void checkDelete(PartyId party, RecordType type, String owner) {
        java.util.Set<PartyId> deleters = type.access().delete();
        boolean allowed = deleters == null ? party.value().equals(owner) : deleters.contains(party);
        if (!allowed) {
            String rule = "x-access.delete of " + type.name() + ": " + (deleters == null
                    ? "the owning party (" + owner + ")" : AccessRule.describe(deleters));
            throw new AccessDeniedException("Party " + party + " may not delete " + type.name() + " records of party "
                    + owner + " (" + rule + ")", rule);
        }
    }

    /**
     * @throws AccessDeniedException naming the rule, when a field's {@code x-transitions} for the
     *         party does not list the change of its value from {@code before} to {@code after}
     *         (e.g. a home owner moves a plan only from offered to accepted or declined)
     */
    public void checkTransitions(PartyId party, RecordType type, JsonNode before, JsonNode after,
            Collection<String> changedFields) {
        if (before == null || after == null) {
            return; // creating and deleting are write and delete rules' business
        }
        for (String field : changedFields) {
            JsonNode allowed = type.jsonSchema().path("properties").path(field).path("x-transitions")
                    .path(party.value());
            if (allowed.isMissingNode()) {
                continue;
            }
            String from = before.path(field).asText("");
            String to = after.path(field).asText("");
            boolean listed = false;
            for (JsonNode target : allowed.path(from)) {
                listed |= target.asText().equals(to);
            }
            if (!listed) {
                String rule = "x-transitions of " + type.name() + "." + field + " for " + party;
                throw new AccessDeniedException("Party " + party + " may not change " + type.name() + "." + field
                        + " from '" + from + "' to '" + to + "' (" + rule + ")", rule);
            }
        }
    }

    /**
     * @throws AccessDeniedException when the principal may not change records' values at all: that
     *         takes the editor role (a party administrator without it may only share)
     */
    public void checkEditor(MeshPrincipal principal) {
        if (!principal.roles().contains(Role.EDITOR)) {
            String rule = "changing records needs the editor role";
            throw new AccessDeniedException(principal.name() + " of party " + principal.party()
                    + " may not create, change or delete records (" + rule + ")", rule);
        }
    }

    /**
     * @throws AccessDeniedException naming the rule, unless the principal is a party administrator
     *         of the party that owns the record: only the owner erases values from the shared history
     */
    public void checkPurge(MeshPrincipal principal, RecordType type, String owner) {
        String rule = "a purge is made by a party-admin of the owning party (" + owner + ")";
        if (!principal.roles().contains(Role.PARTY_ADMIN) || !principal.party().value().equals(owner)) {
            throw new AccessDeniedException(principal.name() + " of party " + principal.party() + " may not purge "
                    + type.name() + " records of party " + owner + " (" + rule + ")", rule);
        }
    }

    /**
     * @throws AccessDeniedException naming the rule, when the principal may not change who may read
     *         or write a record of this type owned by {@code owner}
     */
    public void checkChangeAccess(MeshPrincipal principal, RecordType type, String owner) {
        String rule = "record access is changed by a party-admin of the owning party (" + owner
                + ") or of x-access.admin of " + type.name() + ": "
                + AccessRule.describe(type.access().admin() == null ? java.util.Set.of() : type.access().admin());
        boolean admin = principal.roles().contains(Role.PARTY_ADMIN);
        boolean party = principal.party().value().equals(owner)
                || (type.access().admin() != null && type.access().admin().contains(principal.party()));
        if (!admin || !party) {
            throw new AccessDeniedException(principal.name() + " of party " + principal.party()
                    + " may not change who may read or write " + type.name() + " records (" + rule + ")", rule);
        }
    }
}
