package org.meshledger.ledger.query;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
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

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Decimals;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.LedgerProofs;
import org.meshledger.ledger.schema.Classification;
import org.meshledger.ledger.schema.FieldRule;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.SourceReference;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.ListFilter;
import org.meshledger.persistence.ledger.ReadReceiptRow;
import org.meshledger.persistence.ledger.ReadReceiptStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.RowScope;
import org.meshledger.persistence.ledger.SortKey;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * Every read of records, for one party at a time, through the access policy: the current state, a
 * point of history on either time axis, lists, a record's versions with their changes and lineage,
 * and proofs. Every read that shows pii or confidential fields leaves a read receipt
 * ({@link ReadReceiptStore}) before it is answered.
 * A record the party may not read does not exist for it; a field it may not read is absent.
 */
public final class RecordReader {

    private final SharedSchema schema;
    private final AccessPolicy policy;
    private final LedgerStore store;
    private final LedgerProofs proofs;
    private final ReadReceiptStore receipts;
    private final Clock clock;

    public RecordReader(SharedSchema schema, AccessPolicy policy, LedgerStore store, LedgerProofs proofs,
            ReadReceiptStore receipts, Clock clock) {
        this.schema = schema;
        this.policy = policy;
        this.store = store;
        this.proofs = proofs;
        this.receipts = receipts;
        this.clock = clock;
    }

    public RecordView get(MeshPrincipal reader, String typeName, String id, AsOf asOf) throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = key + " does not exist" + (asOf.isNow() ? "" : " at that point");
        Optional<RecordVersionRow> current = store.current(List.of(key)).values().stream().findFirst();
        RecordAccess access = visibleAccess(reader, type, key, current).orElseThrow(() -> new NotFoundException(missing));
        RecordVersionRow row = (asOf.isNow() ? current.filter(v -> !v.deleted()) : store.versionAsOf(key, asOf))
                .orElseThrow(() -> new NotFoundException(missing));
        return receipted(reader, "get", type, withLineage(List.of(row), reader.party(), type, Map.of(key, access))).get(0);
    }

    public RecordView version(MeshPrincipal reader, String typeName, String id, int version) throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = key + " has no version " + version;
        RecordAccess access = visibleAccess(reader, type, key).orElseThrow(() -> new NotFoundException(missing));
        RecordVersionRow row = store.version(key, version).orElseThrow(() -> new NotFoundException(missing));
        return receipted(reader, "version", type, withLineage(List.of(row), reader.party(), type, Map.of(key, access)))
                .get(0);
    }

    /**
     * A record version's inclusion proof against the digest at {@code height} (the last for null),
     * disclosing the fields the party may read and only the salted hashes of the others: it still
     * verifies, and shows nothing the party may not read.
     */
    public InclusionProof proof(MeshPrincipal reader, String typeName, String id, int version, Long height)
            throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = key + " has no version " + version;
        RecordAccess access = visibleAccess(reader, type, key).orElseThrow(() -> new NotFoundException(missing));
        RecordVersionRow row = store.version(key, version).orElseThrow(() -> new NotFoundException(missing));
        InclusionProof proof = proofs.inclusion(row, height,
                field -> policy.canReadField(reader.party(), type, field, access));
        record(reader, "proof", type, row.type(), row.id(), row.version(), row.ownerParty(), proof.disclosed().keySet());
        return proof;
    }

    public List<HistoryEntry> history(MeshPrincipal reader, String typeName, String id) throws SQLException {
        RecordType type = type(typeName);
        RecordKey key = new RecordKey(typeName, id);
        String missing = typeName + "/" + id + " does not exist";
        RecordAccess access = visibleAccess(reader, type, key).orElseThrow(() -> new NotFoundException(missing));
        List<RecordVersionRow> rows = store.history(key);
        List<HistoryEntry> history = new ArrayList<>();
        JsonNode previous = Json.object();
        for (RecordView view : receipted(reader, "history", type,
                withLineage(rows, reader.party(), type, Map.of(key, access)))) {
            JsonNode current = view.state() == null ? Json.object() : view.state();
            history.add(new HistoryEntry(view, JsonDiff.asJson(previous, current)));
            previous = current;
        }
        return history;
    }

    /**
     * A page of the records of a type the reader may read: all of them if the type's rule lets its
     * party, or those in its rows scope if a rows rule limits it, and those shared with its party.
     * Filters and sorts take only fields it may read on every record of the type, so neither the
     * order nor the count tells anything about a value it may not read.
     */
    public RecordPage list(MeshPrincipal reader, String typeName, ListQuery query) throws SQLException {
        PartyId party = reader.party();
        RecordType type = type(typeName);
        if (query.size() < 1 || query.size() > ListQuery.MAX_SIZE) {
            throw new InvalidQueryException("size", "size is between 1 and " + ListQuery.MAX_SIZE);
        }
        if (query.page() < 0) {
            throw new InvalidQueryException("page", "page starts at 0");
        }
        ListFilter filter = listFilter(party, type, query);
        List<SortKey> sort = new ArrayList<>();
        for (String s : query.sort()) {
            boolean descending = s.startsWith("-");
            String field = listableField(party, type, descending ? s.substring(1) : s, "sort");
            sort.add(new SortKey(field, descending, type.isNumeric(field)));
        }
        Listed listed = listed(reader, type);
        LedgerStore.Page page = store.list(typeName, filter, sort, query.asOf(),
                listed.sharedWith(), listed.scope(), query.page() * query.size(), query.size());
        return new RecordPage(receipted(reader, "list", type,
                withLineage(page.rows(), party, type, currentAccess(page.rows(), query.asOf()))),
                query.page(), query.size(), page.total());
    }

    /**
     * How many of the records a list with these conditions would show have each value of
     * {@code field} (a readable indexed field; null counts the records without it), in one query:
     * for charts and summaries, under the same access as the list.
     */
    public Map<String, Long> countBy(MeshPrincipal reader, String typeName, ListQuery conditions, String field)
            throws SQLException {
        PartyId party = reader.party();
        RecordType type = type(typeName);
        String grouped = listableField(party, type, field, "countBy");
        Listed listed = listed(reader, type);
        return store.countBy(typeName, listFilter(party, type, conditions), grouped, listed.sharedWith(),
                listed.scope());
    }

    /** How many records of the type the reader may see each party owns (a data product's volume). */
    public Map<String, Long> countByOwner(MeshPrincipal reader, String typeName) throws SQLException {
        RecordType type = type(typeName);
        Listed listed = listed(reader, type);
        return store.countBy(typeName, new ListFilter(null, Map.of(), Map.of()), ListFilter.OWNER, listed.sharedWith(),
                listed.scope());
    }

    /**
     * Whether any of these records the reader may see has been changed by a block above
     * {@code height}: how a page learns that what it shows is out of date. It tells nothing of
     * records the reader may not see (they count as unchanged) and no value (no read receipt).
     */
    public boolean changedAfter(MeshPrincipal reader, String typeName, Collection<String> ids, long height)
            throws SQLException {
        RecordType type = type(typeName);
        if (ids.isEmpty()) {
            return false;
        }
        if (policy.seesEveryRecord(reader, type)) {
            return store.changedAfter(typeName, ids, height);
        }
        List<RecordKey> keys = ids.stream().map(id -> new RecordKey(typeName, id)).toList();
        for (RecordVersionRow row : store.current(keys).values()) {
            if (row.blockHeight() > height && visibleAccess(reader, type, new RecordKey(typeName, row.id()),
                    Optional.of(row)).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private RecordType type(String typeName) {
        return schema.type(typeName)
                .orElseThrow(() -> new NotFoundException("The network has no record type '" + typeName + "'"));
    }

    /**
     * What is shared of a record, if the reader may read it. A record is read under its current
     * access and current place in the reader's rows scope, all its history included: sharing a
     * record shares its past, revoking takes it back. A record the reader may not read and one that
     * does not exist look the same.
     */
    private Optional<RecordAccess> visibleAccess(MeshPrincipal reader, RecordType type, RecordKey key,
            Optional<RecordVersionRow> current) throws SQLException {
        if (current.isEmpty()) {
            return Optional.empty();
        }
        RecordAccess access = RecordAccess.stored(current.get().access());
        boolean visible = switch (policy.visibility(reader, type, access)) {
            case VISIBLE -> true;
            case IF_IN_SCOPE -> store.inScope(key, policy.rowScope(reader, type));
            case HIDDEN -> false;
        };
        return visible ? Optional.of(access) : Optional.empty();
    }

    private Optional<RecordAccess> visibleAccess(MeshPrincipal reader, RecordType type, RecordKey key)
            throws SQLException {
        return visibleAccess(reader, type, key, store.current(List.of(key)).values().stream().findFirst());
    }

    /**
     * Refuses a transaction that would change a record its principal may not read, or a record that
     * does not exist, in the same words (so a party learns nothing of records hidden from it, and a
     * probe leaves nothing on the ledger); or that creates a record of a type whose reads a rows rule
     * limits for the principal's party (it could create outside its scope). An operation on a
     * record an earlier operation of the same transaction creates is left to the apply step.
     *
     * @throws NotFoundException naming the record
     * @throws AccessDeniedException naming the rule
     */
    public void checkChangesVisible(MeshPrincipal writer, TransactionRequest request) throws SQLException {
        // Changes of existing records, and anything of types the writer does not see whole, need a look
        // (one query for all of them).
        List<Operation> looked = request.operations().stream()
                .filter(op -> !op.kind().mayCreate() || !policy.seesEveryRecord(writer, type(op.type()))).toList();
        if (looked.isEmpty()) {
            return;
        }
        Map<RecordKey, RecordVersionRow> current = store.current(looked.stream()
                .map(op -> new RecordKey(op.type(), op.id())).toList());
        Set<RecordKey> created = new HashSet<>();
        for (Operation op : request.operations()) {
            RecordType type = type(op.type());
            RecordKey key = new RecordKey(op.type(), op.id());
            RecordVersionRow row = current.get(key);
            if (op.kind().mayCreate()) {
                if (row == null && type.rows(writer.party()) != null && !policy.seesEveryRecord(writer, type)) {
                    String rule = "x-access.rows of " + type.name() + " for " + writer.party();
                    throw new AccessDeniedException("Party " + writer.party() + " reads only some " + type.name()
                            + " records, so it creates none (" + rule + ")", rule);
                }
                if (row != null && op.kind() == OperationKind.PUT && !policy.seesEveryRecord(writer, type)
                        && visibleAccess(writer, type, key, Optional.of(row)).isEmpty()) {
                    throw new NotFoundException(key + " does not exist");
                }
                created.add(key);
                continue;
            }
            if (created.contains(key)) {
                continue;
            }
            // A purge may erase values of a deleted record; every other change needs a live one.
            boolean gone = row == null || row.deleted() && op.kind() != OperationKind.PURGE;
            if (gone || visibleAccess(writer, type, key, Optional.of(row)).isEmpty()) {
                throw new NotFoundException(key + " does not exist");
            }
        }
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

    /**
     * Records who was shown which pii or confidential fields of these views, before they are
     * returned: a read that cannot be receipted is not answered.
     */
    private List<RecordView> receipted(MeshPrincipal reader, String path, RecordType type, List<RecordView> views)
            throws SQLException {
        Instant now = clock.instant();
        List<ReadReceiptRow> rows = new ArrayList<>();
        for (RecordView view : views) {
            List<String> shown = classified(type, view.state() == null ? List.of() : names(view.state()));
            if (!shown.isEmpty()) {
                rows.add(receipt(now, reader, path, view.type(), view.id(), view.version(), view.owner(), shown));
            }
        }
        receipts.record(rows);
        return views;
    }

    private void record(MeshPrincipal reader, String path, RecordType type, String typeName, String id, int version,
            String owner, Collection<String> fields) throws SQLException {
        List<String> shown = classified(type, fields);
        if (!shown.isEmpty()) {
            receipts.record(List.of(receipt(clock.instant(), reader, path, typeName, id, version, owner, shown)));
        }
    }

    private static ReadReceiptRow receipt(Instant now, MeshPrincipal reader, String path, String type, String id,
            int version, String owner, List<String> fields) {
        return new ReadReceiptRow(now, reader.party().value(), reader.kind().name().toLowerCase(), reader.name(), path,
                type, id, version, owner, fields);
    }

    /** The fields among these that the schema classifies pii or confidential, sorted. */
    private static List<String> classified(RecordType type, Collection<String> fields) {
        return fields.stream().filter(f -> {
            FieldRule rule = type.field(f);
            return rule != null && (rule.classification() == Classification.PII
                    || rule.classification() == Classification.CONFIDENTIAL);
        }).sorted().toList();
    }

    private static List<String> names(JsonNode state) {
        List<String> names = new ArrayList<>();
        state.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A field a list may filter or sort on: indexed, and readable by the party (or it would leak). */
    private String listableField(PartyId party, RecordType type, String field, String parameter) {
        if (!type.isIndexed(field) || !policy.canReadField(party, type, field)) {
            throw new InvalidQueryException(parameter, "'" + field + "' is not a field you can filter or sort "
                    + type.name() + " records on; these are: " + listable(party, type));
        }
        return field;
    }

    /**
     * Which records of a type a list shows the reader: those in its rows scope if it reads the type
     * (all when no rows rule limits it), and those shared with its party unless it sees them all.
     */
    private record Listed(RowScope scope, String sharedWith) {
    }

    private Listed listed(MeshPrincipal reader, RecordType type) {
        RowScope scope = policy.canRead(reader.party(), type) ? policy.rowScope(reader, type) : null;
        return new Listed(scope, policy.seesEveryRecord(reader, type) ? null : reader.party().value());
    }

    private ListFilter listFilter(PartyId party, RecordType type, ListQuery query) {
        ObjectNode containment = null;
        for (Map.Entry<String, String> f : query.filters().entrySet()) {
            String field = listableField(party, type, f.getKey(), "filter." + f.getKey());
            if (containment == null) {
                containment = Json.object();
            }
            containment.set(field, filterValue(type, field, f.getValue()));
        }
        Map<String, String> prefixes = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> p : query.prefixes().entrySet()) {
            String parameter = "prefix." + p.getKey();
            String field = searchableField(party, type, p.getKey(), parameter);
            if (!field.equals(ListFilter.ID) && (type.isNumeric(field) || type.isBoolean(field))) {
                throw new InvalidQueryException(parameter, "'" + p.getKey() + "' is not text; filter it by value");
            }
            prefixes.put(field, p.getValue());
        }
        Map<String, List<String>> anyOf = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> a : query.anyOf().entrySet()) {
            String parameter = "anyOf." + a.getKey();
            if (a.getValue().size() > ListQuery.MAX_SIZE) {
                throw new InvalidQueryException(parameter, "at most " + ListQuery.MAX_SIZE + " values");
            }
            anyOf.put(searchableField(party, type, a.getKey(), parameter), a.getValue());
        }
        return new ListFilter(containment == null ? null : Json.write(containment), prefixes, anyOf);
    }

    /** A listable field, or the record id for the type's key field (every reader of a record reads its id). */
    private String searchableField(PartyId party, RecordType type, String field, String parameter) {
        return field.equals(type.keyField()) ? ListFilter.ID : listableField(party, type, field, parameter);
    }

    private List<String> listable(PartyId party, RecordType type) {
        return type.indexes().stream().filter(f -> policy.canReadField(party, type, f)).toList();
    }

    private static JsonNode filterValue(RecordType type, String field, String value) {
        if (type.isNumeric(field)) {
            try {
                return Json.MAPPER.getNodeFactory().numberNode(Decimals.parse(value));
            } catch (Decimals.OutOfBounds e) {
                throw new InvalidQueryException("filter." + field, field + " is a number: " + e.getMessage());
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
