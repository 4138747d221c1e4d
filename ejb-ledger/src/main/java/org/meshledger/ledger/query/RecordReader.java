package org.meshledger.ledger.query;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonDiff;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
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
 * point of history on either time axis, lists, a record's versions with their changes and lineage.
 * A record the party may not read does not exist for it; a field it may not read is absent.
 */
public final class RecordReader {

    private final SharedSchema schema;
    private final AccessPolicy policy;
    private final LedgerStore store;

    public RecordReader(SharedSchema schema, AccessPolicy policy, LedgerStore store) {
        this.schema = schema;
        this.policy = policy;
        this.store = store;
    }

    public RecordView get(PartyId party, String typeName, String id, AsOf asOf) throws SQLException {
        RecordType type = readableType(party, typeName);
        RecordKey key = new RecordKey(typeName, id);
        RecordVersionRow row = (asOf.isNow()
                ? store.current(List.of(key)).values().stream().filter(v -> !v.deleted()).findFirst()
                : store.versionAsOf(key, asOf))
                .orElseThrow(() -> new NotFoundException(key + " does not exist" + (asOf.isNow() ? "" : " at that point")));
        return withLineage(List.of(row), party, type).get(0);
    }

    public RecordView version(PartyId party, String typeName, String id, int version) throws SQLException {
        RecordType type = readableType(party, typeName);
        RecordKey key = new RecordKey(typeName, id);
        RecordVersionRow row = store.version(key, version)
                .orElseThrow(() -> new NotFoundException(key + " has no version " + version));
        return withLineage(List.of(row), party, type).get(0);
    }

    public List<HistoryEntry> history(PartyId party, String typeName, String id) throws SQLException {
        RecordType type = readableType(party, typeName);
        List<RecordVersionRow> rows = store.history(new RecordKey(typeName, id));
        if (rows.isEmpty()) {
            throw new NotFoundException(typeName + "/" + id + " does not exist");
        }
        List<HistoryEntry> history = new ArrayList<>();
        JsonNode previous = Json.object();
        for (RecordView view : withLineage(rows, party, type)) {
            JsonNode current = view.state() == null ? Json.object() : view.state();
            history.add(new HistoryEntry(view, JsonDiff.asJson(previous, current)));
            previous = current;
        }
        return history;
    }

    public RecordPage list(PartyId party, String typeName, ListQuery query) throws SQLException {
        RecordType type = schema.type(typeName)
                .orElseThrow(() -> new NotFoundException("The network has no record type '" + typeName + "'"));
        if (!policy.canRead(party, type)) {
            String rule = "x-access.read of " + typeName;
            throw new AccessDeniedException("Party " + party + " may not read " + typeName + " records (" + rule + ")",
                    rule);
        }
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
        LedgerStore.Page page = store.list(typeName, filter == null ? null : Json.write(filter), sort, query.asOf(),
                query.page() * query.size(), query.size());
        return new RecordPage(withLineage(page.rows(), party, type), query.page(), query.size(), page.total());
    }

    private RecordType readableType(PartyId party, String typeName) {
        RecordType type = schema.type(typeName)
                .orElseThrow(() -> new NotFoundException("The network has no record type '" + typeName + "'"));
        if (!policy.canRead(party, type)) {
            // Not "forbidden": what a party may not read does not exist for it.
            throw new NotFoundException(typeName + " records are not visible to party " + party);
        }
        return type;
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

    private List<RecordView> withLineage(List<RecordVersionRow> rows, PartyId party, RecordType type)
            throws SQLException {
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
            views.add(view(row, tx, party, type));
        }
        return views;
    }

    private RecordView view(RecordVersionRow row, TransactionRow tx, PartyId party, RecordType type) {
        JsonNode state = row.state() == null ? null : policy.readableView(party, type, Json.parse(row.state()));
        Lineage lineage = tx == null ? null : new Lineage(tx.txId(), tx.blockHeight(), tx.position(), tx.party(),
                tx.principalKind(), tx.principalName(),
                tx.sourceReference() == null ? null : new SourceReference(tx.sourceSystem(), tx.sourceReference()),
                row.operation(), row.recordedAt(), row.validFrom());
        return new RecordView(row.type(), row.id(), row.version(), state, row.deleted(), LedgerHashing.base64(row.hash()),
                row.ownerParty(), row.blockHeight(), row.recordedAt(), row.validFrom(), lineage);
    }
}
