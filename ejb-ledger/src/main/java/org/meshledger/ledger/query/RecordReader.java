package org.meshledger.ledger.query;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonDiff;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.ledger.transaction.SourceReference;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.SortKey;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * Every read of records, for one party at a time, through the access policy: the current state, a
 * point of history on either time axis, lists, a record's versions with their changes and lineage,
 * and proofs.
 * A record the party may not read does not exist for it; a field it may not read is absent.
 */
public final class RecordReader {

    private final SharedSchema schema;
    private final AccessPolicy policy;
    private final LedgerStore store;
    private final LedgerProofs proofs;

    public RecordReader(SharedSchema schema, AccessPolicy policy, LedgerStore store, LedgerProofs proofs) {
        this.schema = schema;
        this.policy = policy;
        this.store = store;
        this.proofs = proofs;
    }

    public RecordView get(PartyId party, String typeName, String id, AsOf asOf) throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = key + " does not exist" + (asOf.isNow() ? "" : " at that point");
        Optional<RecordVersionRow> current = store.current(List.of(key)).values().stream().findFirst();
        RecordAccess access = visibleAccess(party, type, current).orElseThrow(() -> new NotFoundException(missing));
        RecordVersionRow row = (asOf.isNow() ? current.filter(v -> !v.deleted()) : store.versionAsOf(key, asOf))
                .orElseThrow(() -> new NotFoundException(missing));
        return withLineage(List.of(row), party, type, Map.of(key, access)).get(0);
    }

    public RecordView version(PartyId party, String typeName, String id, int version) throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = key + " has no version " + version;
        RecordAccess access = visibleAccess(party, type, store.current(List.of(key)).values().stream().findFirst())
                .orElseThrow(() -> new NotFoundException(missing));
        RecordVersionRow row = store.version(key, version).orElseThrow(() -> new NotFoundException(missing));
        return withLineage(List.of(row), party, type, Map.of(key, access)).get(0);
    }

    /**
     * A record version's inclusion proof against the digest at {@code height} (the last for null),
     * disclosing the fields the party may read and only the salted hashes of the others: it still
     * verifies, and shows nothing the party may not read.
     */
    public InclusionProof proof(PartyId party, String typeName, String id, int version, Long height)
            throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = key + " has no version " + version;
        RecordAccess access = visibleAccess(party, type, store.current(List.of(key)).values().stream().findFirst())
                .orElseThrow(() -> new NotFoundException(missing));
        RecordVersionRow row = store.version(key, version).orElseThrow(() -> new NotFoundException(missing));
        return proofs.inclusion(row, height, field -> policy.canReadField(party, type, field, access));
    }

    public List<HistoryEntry> history(PartyId party, String typeName, String id) throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = typeName + "/" + id + " does not exist";
        RecordAccess access = visibleAccess(party, type, store.current(List.of(key)).values().stream().findFirst())
                .orElseThrow(() -> new NotFoundException(missing));
        List<RecordVersionRow> rows = store.history(key);
        List<HistoryEntry> history = new ArrayList<>();
        JsonNode previous = Json.object();
        for (RecordView view : withLineage(rows, party, type, Map.of(key, access))) {
            JsonNode current = view.state() == null ? Json.object() : view.state();
            history.add(new HistoryEntry(view, JsonDiff.asJson(previous, current)));
            previous = current;
        }
        return history;
    }

    /**
     * A page of the records of a type the party may read: all of them if the type's rule lets it,
     * else those shared with it. Filters and sorts take only fields it may read on every record of
     * the type, so neither the order nor the count tells anything about a value it may not read.
     */
    public RecordPage list(PartyId party, String typeName, ListQuery query) throws SQLException {
        RecordType type = type(typeName);
        if (query.size() < 1 || query.size() > ListQuery.MAX_SIZE) {
            throw new InvalidQueryException("size", "size is between 1 and " + ListQuery.MAX_SIZE);
        }
        if (query.page() < 0) {
            throw new InvalidQueryException("page", "page starts at 0");
        }
        ObjectNode filter = null;
        for (Map.Entry<String, String> f : query.filters().entrySet()) {
            String field = listableField(party, type, f.getKey(), "filter." + f.getKey());
            if (filter == null) {
                filter = Json.object();
            }
            filter.set(field, filterValue(type, field, f.getValue()));
        }
        List<SortKey> sort = new ArrayList<>();
        for (String s : query.sort()) {
            boolean descending = s.startsWith("-");
            String field = listableField(party, type, descending ? s.substring(1) : s, "sort");
            sort.add(new SortKey(field, descending, type.isNumeric(field)));
        }
        String sharedWith = policy.canRead(party, type) ? null : party.value();
        LedgerStore.Page page = store.list(typeName, filter == null ? null : Json.write(filter), sort, query.asOf(),
                sharedWith, query.page() * query.size(), query.size());
        return new RecordPage(withLineage(page.rows(), party, type, currentAccess(page.rows(), query.asOf())),
                query.page(), query.size(), page.total());
    }

    private RecordType type(String typeName) {
        return schema.type(typeName)
                .orElseThrow(() -> new NotFoundException("The network has no record type '" + typeName + "'"));
    }

    /**
     * What is shared of a record, if the party may read it. A record is read under its current
     * access, all its history included: sharing a record shares its past, revoking takes it back.
     * A record the party may not read and one that does not exist look the same.
     */
    private Optional<RecordAccess> visibleAccess(PartyId party, RecordType type, Optional<RecordVersionRow> current) {
        return current.map(row -> RecordAccess.stored(row.access()))
                .filter(access -> policy.canRead(party, type, access));
    }

    /** The current access of each listed record (the rows themselves, for a list of the present). */
    private Map<RecordKey, RecordAccess> currentAccess(List<RecordVersionRow> rows, AsOf asOf) throws SQLException {
        Map<RecordKey, RecordAccess> access = new HashMap<>();
        if (asOf.isNow()) {
            rows.forEach(row -> access.put(row.key(), RecordAccess.stored(row.access())));
        } else {
            store.current(rows.stream().map(RecordVersionRow::key).toList())
                    .forEach((key, row) -> access.put(key, RecordAccess.stored(row.access())));
        }
        return access;
    }

    /** A field a list may filter or sort on: indexed, and readable by the party (or it would leak). */
    private String listableField(PartyId party, RecordType type, String field, String parameter) {
        if (!type.isIndexed(field) || !policy.canReadField(party, type, field)) {
            throw new InvalidQueryException(parameter, "'" + field + "' is not a field you can filter or sort "
                    + type.name() + " records on; these are: " + listable(party, type));
        }
        return field;
    }

    private List<String> listable(PartyId party, RecordType type) {
        return type.indexes().stream().filter(f -> policy.canReadField(party, type, f)).toList();
    }

    private static JsonNode filterValue(RecordType type, String field, String value) {
        if (type.isNumeric(field)) {
            try {
                return Json.MAPPER.getNodeFactory().numberNode(new java.math.BigDecimal(value));
            } catch (NumberFormatException e) {
                throw new InvalidQueryException("filter." + field, field + " is a number, not '" + value + "'");
            }
        }
        if (type.isBoolean(field)) {
            return Json.MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    private List<RecordView> withLineage(List<RecordVersionRow> rows, PartyId party, RecordType type,
            Map<RecordKey, RecordAccess> access) throws SQLException {
        Set<UUID> txIds = new HashSet<>();
        rows.forEach(r -> {
            if (r.txId() != null) {
                txIds.add(r.txId());
            }
        });
        Map<UUID, TransactionRow> transactions = store.transactionHeaders(txIds);
        List<RecordView> views = new ArrayList<>();
        for (RecordVersionRow row : rows) {
            TransactionRow tx = row.txId() == null ? null : transactions.get(row.txId());
            views.add(view(row, tx, party, type, access.getOrDefault(row.key(), RecordAccess.NONE)));
        }
        return views;
    }

    private RecordView view(RecordVersionRow row, TransactionRow tx, PartyId party, RecordType type,
            RecordAccess access) {
        JsonNode state = row.state() == null ? null : policy.readableView(party, type, Json.parse(row.state()), access);
        Lineage lineage = tx == null ? null : new Lineage(tx.txId(), tx.blockHeight(), tx.position(), tx.party(),
                tx.principalKind(), tx.principalName(),
                tx.sourceReference() == null ? null : new SourceReference(tx.sourceSystem(), tx.sourceReference()),
                row.operation(), row.recordedAt(), row.validFrom());
        return new RecordView(row.type(), row.id(), row.version(), state, row.deleted(), LedgerHashing.base64(row.hash()),
                row.ownerParty(), row.blockHeight(), row.recordedAt(), row.validFrom(), lineage);
    }
}
