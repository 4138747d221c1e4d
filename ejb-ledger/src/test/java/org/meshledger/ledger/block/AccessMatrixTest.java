package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.ProofVerifier;
import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.SubmitChecks;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.AsOf;

/**
 * The access matrix: every party × every record type and field × every read path (get, a version,
 * list, filter, sort, as of a height, history with its changes, lineage, proof) and every write
 * operation (create, update of each field, delete, grant), each cell's expected outcome worked out
 * by {@link AccessOracle} from the network file's {@code x-access} lists and the record grants the
 * test made. A leak through a field, a count, a filter, the sort order or an error text fails a cell.
 * Two records per type: A shares something with some parties (a record grant to each party that may
 * not read the type, a field grant of each field with its own read rule to one party that may not
 * read it); B shares nothing. The home owner's users are linked to A's borrower, so its rows rules
 * show it the A records connected to that borrower and no B record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {

    private final AccessOracle oracle = new AccessOracle();
    private final AccessPolicy policy = new AccessPolicy();
    private TestLedger ledger;
    private RecordReader reader;
    private SubmitChecks checks;
    private JsonNode samples;
    /** Per type and record id: the party that created it. */
    private final Map<String, String> owners = new HashMap<>();
    /** Per record id: party -> granted fields ("*": the record). */
    private final Map<String, Map<String, Set<String>>> grants = new HashMap<>();
    private long heightBeforeGrants;

    @BeforeAll
    void writeTheRecords() throws Exception {
        ledger = TestLedger.fresh();
        reader = new RecordReader(DemoNetwork.get().schema(), policy, ledger.store, ledger.proofs(),
                new org.meshledger.persistence.ledger.ReadReceiptStore(ledger.dataSource), java.time.Clock.systemUTC());
        checks = new SubmitChecks(DemoNetwork.get().schema(), policy,
                DemoNetwork.get().parties().stream().map(PartyDefinition::id).collect(Collectors.toSet()));
        try (InputStream in = getClass().getResourceAsStream("/access-matrix/records.json")) {
            samples = Json.MAPPER.readTree(in);
        }
        for (String type : oracle.recordTypes()) {
            for (JsonNode record : samples.path(type)) {
                write(type, record);
            }
        }
        heightBeforeGrants = ledger.chain.height();
        for (String type : oracle.recordTypes()) {
            shareRecordA(type);
        }
    }

    @AfterAll
    void close() {
        ledger.close();
    }

    /** Writes a full record: created by a writer that may write its required fields, the rest by whoever may. */
    private void write(String type, JsonNode record) {
        String id = record.path(oracle.key(type)).asText();
        String creator = oracle.typeWriters(type).stream()
                .filter(p -> oracle.required(type).stream().allMatch(f -> oracle.canWriteField(p, type, f)))
                .findFirst().orElseThrow(() -> new IllegalStateException("no party may create " + type));
        ObjectNode created = Json.object();
        Map<String, ObjectNode> later = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (oracle.canWriteField(creator, type, field.getKey())) {
                created.set(field.getKey(), field.getValue());
            } else {
                String writer = oracle.typeWriters(type).stream()
                        .filter(p -> oracle.canWriteField(p, type, field.getKey())).findFirst().orElseThrow();
                later.computeIfAbsent(writer, w -> Json.object()).set(field.getKey(), field.getValue());
            }
        }
        expectCommitted(editor(creator), new Operation(OperationKind.CREATE, type, id, 0, created));
        later.forEach((writer, patch) -> expectCommitted(editor(writer),
                new Operation(OperationKind.UPDATE, type, id, null, patch)));
        owners.put(type + "/" + id, creator);
    }

    private void shareRecordA(String type) {
        String id = samples.path(type).get(0).path(oracle.key(type)).asText();
        String owner = owners.get(type + "/" + id);
        Map<String, Set<String>> shared = new TreeMap<>();
        ObjectNode access = Json.object();
        for (String party : oracle.parties()) {
            // A party whose users each read only their own records takes no grant of a type without a rows rule for it.
            boolean refused = !oracle.limitedByRows(party, type)
                    && oracle.recordTypes().stream().anyMatch(t -> oracle.limitedByRows(party, t));
            if (!oracle.typeReaders(type).contains(party) && !refused) {
                access.withArray("read").add(party);
                shared.computeIfAbsent(party, p -> new TreeSet<>()).add("*");
            }
        }
        ObjectNode fields = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = oracle.types.path(type).path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode readers = field.getValue().at("/x-access/read");
            if (readers.isMissingNode()) {
                continue;
            }
            oracle.parties().stream().filter(p -> !Json.write(readers).contains("\"" + p + "\""))
                    .filter(p -> oracle.typeReaders(type).contains(p) || shared.containsKey(p)).findFirst()
                    .ifPresent(p -> {
                        fields.putObject(field.getKey()).putArray("read").add(p);
                        shared.computeIfAbsent(p, x -> new TreeSet<>()).add(field.getKey());
                    });
        }
        if (!fields.isEmpty()) {
            access.set("fields", fields);
        }
        if (!access.isEmpty()) {
            expectCommitted(admin(owner), new Operation(OperationKind.GRANT, type, id, null, access));
        }
        grants.put(id, shared);
    }

    /** Every read cell first (the write cells add records), then every write cell. */
    @TestFactory
    List<DynamicNode> everyPartyOnEveryTypeOnEveryPath() {
        List<DynamicNode> reads = new ArrayList<>();
        List<DynamicNode> writes = new ArrayList<>();
        for (String party : oracle.parties()) {
            List<DynamicNode> readsByType = new ArrayList<>();
            List<DynamicNode> writesByType = new ArrayList<>();
            for (String type : oracle.recordTypes()) {
                List<JsonNode> records = new ArrayList<>();
                samples.path(type).forEach(records::add);
                readsByType.add(dynamicContainer(type, readCells(party, type, records)));
                writesByType.add(dynamicContainer(type, writeCells(party, type, records)));
            }
            reads.add(dynamicContainer(party, readsByType));
            writes.add(dynamicContainer(party, writesByType));
        }
        return List.of(dynamicContainer("read", reads), dynamicContainer("write", writes));
    }

    private List<DynamicNode> readCells(String party, String type, List<JsonNode> records) {
        MeshPrincipal p = editor(party);
        List<DynamicNode> cells = new ArrayList<>();
        for (JsonNode record : records) {
            String id = record.path(oracle.key(type)).asText();
            Map<String, Set<String>> shared = grants.getOrDefault(id, Map.of());
            boolean visible = oracle.visible(party, type, record, shared, anchor(party), samples);
            Set<String> fields = oracle.readable(party, type, record, shared);
            cells.add(dynamicTest("get " + id, () -> {
                if (visible) {
                    assertEquals(fields, names(reader.get(p, type, id, AsOf.NOW).state()));
                } else {
                    assertHiddenLikeMissing(() -> reader.get(p, type, id, AsOf.NOW),
                            () -> reader.get(p, type, id + "-NONE", AsOf.NOW), id);
                }
            }));
            cells.add(dynamicTest("version 1 of " + id + " and its lineage", () -> {
                if (visible) {
                    RecordView v1 = reader.version(p, type, id, 1);
                    assertTrue(fields.containsAll(names(v1.state())), "only readable fields: " + names(v1.state()));
                    assertEquals(owners.get(type + "/" + id), v1.lineage().party());
                } else {
                    assertHiddenLikeMissing(() -> reader.version(p, type, id, 1),
                            () -> reader.version(p, type, id + "-NONE", 1), id);
                }
            }));
            cells.add(dynamicTest("as of height " + heightBeforeGrants + ": " + id, () -> {
                AsOf before = new AsOf(heightBeforeGrants, null, null);
                if (visible) {
                    assertEquals(fields, names(reader.get(p, type, id, before).state()),
                            "read under the record's current access");
                } else {
                    assertHiddenLikeMissing(() -> reader.get(p, type, id, before),
                            () -> reader.get(p, type, id + "-NONE", before), id);
                }
            }));
            cells.add(dynamicTest("history of " + id, () -> {
                if (visible) {
                    for (HistoryEntry entry : reader.history(p, type, id)) {
                        assertTrue(fields.containsAll(names(entry.version().state())), entry.version().toString());
                        for (JsonNode change : entry.changes()) {
                            String field = change.path("path").asText().split("/")[1];
                            assertTrue(fields.contains(field), "a change to " + field + " shows: " + change);
                        }
                    }
                } else {
                    assertHiddenLikeMissing(() -> reader.history(p, type, id),
                            () -> reader.history(p, type, id + "-NONE"), id);
                }
            }));
            cells.add(dynamicTest("proof of " + id + " version 1", () -> {
                if (visible) {
                    InclusionProof proof = reader.proof(p, type, id, 1, null);
                    String text = Json.MAPPER.writeValueAsString(proof);
                    Set<String> v1 = names(Json.parse(proof.record().canonical()).path("fields"));
                    assertEquals(v1.stream().filter(fields::contains).collect(Collectors.toSet()),
                            proof.disclosed().keySet());
                    assertNoValuesOf(record, fields, text);
                    assertTrue(ProofVerifier.verify(text, null).valid());
                } else {
                    assertHiddenLikeMissing(() -> reader.proof(p, type, id, 1, null),
                            () -> reader.proof(p, type, id + "-NONE", 1, null), id);
                }
            }));
        }
        List<String> visibleIds = records.stream()
                .filter(r -> oracle.visible(party, type, r, grants.getOrDefault(r.path(oracle.key(type)).asText(), Map.of()),
                        anchor(party), samples))
                .map(r -> r.path(oracle.key(type)).asText()).toList();
        cells.add(dynamicTest("list: exactly the records it may read, counted alike", () -> {
            RecordPage page = reader.list(p, type, new ListQuery(Map.of(), List.of(), 0, 100, AsOf.NOW));
            assertEquals(visibleIds.size(), page.total(), "the count");
            assertEquals(new TreeSet<>(visibleIds), page.items().stream().map(RecordView::id)
                    .collect(Collectors.toCollection(TreeSet::new)));
            for (RecordView item : page.items()) {
                JsonNode record = records.stream().filter(r -> r.path(oracle.key(type)).asText().equals(item.id()))
                        .findFirst().orElseThrow();
                assertEquals(oracle.readable(party, type, record, grants.getOrDefault(item.id(), Map.of())),
                        names(item.state()), item.id());
            }
            RecordPage before = reader.list(p, type, new ListQuery(Map.of(), List.of(), 0, 100,
                    new AsOf(heightBeforeGrants, null, null)));
            assertEquals(visibleIds.size(), before.total(), "the count as of a height");
        }));
        for (String field : oracle.indexes(type)) {
            JsonNode valueOfA = records.get(0).path(field);
            cells.add(dynamicTest("filter on " + field, () -> {
                ListQuery query = new ListQuery(Map.of(field, valueOfA.asText()), List.of(), 0, 100, AsOf.NOW);
                if (oracle.canFilter(party, type, field)) {
                    RecordPage page = reader.list(p, type, query);
                    long expected = records.stream().filter(r -> r.path(field).equals(valueOfA))
                            .filter(r -> visibleIds.contains(r.path(oracle.key(type)).asText())).count();
                    assertEquals(expected, page.total());
                } else {
                    InvalidQueryException refused = assertThrows(InvalidQueryException.class,
                            () -> reader.list(p, type, query));
                    for (JsonNode record : records) {
                        assertNoValuesOf(record, Set.of(), refused.getMessage());
                    }
                }
            }));
            cells.add(dynamicTest("sort on " + field, () -> {
                for (String order : List.of(field, "-" + field)) {
                    ListQuery query = new ListQuery(Map.of(), List.of(order), 0, 100, AsOf.NOW);
                    if (oracle.canFilter(party, type, field)) {
                        List<String> ids = reader.list(p, type, query).items().stream().map(RecordView::id).toList();
                        Comparator<JsonNode> byField = Comparator.comparing(r -> r.path(field).isNumber()
                                ? String.format("%020d", r.path(field).asLong()) : r.path(field).asText());
                        List<String> expected = records.stream()
                                .filter(r -> visibleIds.contains(r.path(oracle.key(type)).asText()))
                                .sorted(order.startsWith("-") ? byField.reversed() : byField)
                                .map(r -> r.path(oracle.key(type)).asText()).toList();
                        assertEquals(expected, ids, order);
                    } else {
                        assertThrows(InvalidQueryException.class, () -> reader.list(p, type, query));
                    }
                }
            }));
        }
        return cells;
    }

    private List<DynamicNode> writeCells(String party, String type, List<JsonNode> records) {
        List<DynamicNode> cells = new ArrayList<>();
        String key = oracle.key(type);
        JsonNode a = records.get(0);
        JsonNode b = records.get(1);
        String suffix = "-W" + party.toUpperCase();
        cells.add(dynamicTest("create", () -> {
            ObjectNode whole = a.deepCopy();
            whole.put(key, a.path(key).asText() + suffix + "-C");
            boolean allowed = oracle.typeWriters(type).contains(party) && !oracle.limitedByRows(party, type)
                    && names(whole).stream().allMatch(f -> oracle.canWriteField(party, type, f));
            assertOutcome(allowed, submit(editor(party), new Operation(OperationKind.CREATE, type,
                    whole.path(key).asText(), 0, whole)));
        }));
        // A copy of B for this party to change and delete, written by its creator.
        String target = b.path(key).asText() + suffix;
        cells.add(dynamicTest("update each field, then delete", () -> {
            ObjectNode copy = b.deepCopy();
            copy.put(key, target);
            write(type, copy);
            boolean visible = oracle.visible(party, type, copy, Map.of(), anchor(party), samples);
            for (String field : names(a)) {
                if (field.equals(key)) {
                    continue;
                }
                ObjectNode patch = Json.object();
                patch.set(field, a.path(field));
                boolean allowed = visible && oracle.canWriteField(party, type, field);
                assertOutcome(allowed, submit(editor(party), new Operation(OperationKind.UPDATE, type, target, null,
                        patch)), "update " + field);
            }
            // No type of the network names deleters (x-access.delete): only a record's owner deletes it.
            assertOutcome(visible && oracle.typeWriters(type).contains(party)
                    && party.equals(owners.get(type + "/" + target)), submit(editor(party),
                    new Operation(OperationKind.DELETE, type, target, null, null)), "delete");
        }));
        cells.add(dynamicTest("grant", () -> {
            String id = b.path(key).asText();
            boolean allowed = (party.equals(owners.get(type + "/" + id)) || oracle.typeAdmins(type).contains(party))
                    && oracle.visible(party, type, b, Map.of(), anchor(party), samples);
            ObjectNode access = Json.object();
            access.putObject("fields").putObject(key).putArray("read").add(party);
            TransactionOutcome granted = submit(admin(party), new Operation(OperationKind.GRANT, type, id, null,
                    access));
            assertOutcome(allowed, granted, "grant");
            if (allowed) {
                expectCommitted(admin(party), new Operation(OperationKind.REVOKE, type, id, null, access));
            }
        }));
        return cells;
    }

    // ---- helpers ----

    private TransactionOutcome submit(MeshPrincipal principal, Operation operation) {
        TransactionRequest request = new TransactionRequest(null, null, null, null, List.of(operation));
        try {
            checks.check(principal, request);
            reader.checkChangesVisible(principal, request);
        } catch (AccessDeniedException | NotFoundException | InvalidTransactionException denied) {
            return null; // refused before ordering (a grant to a party under rows rules of another type: 422)
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return ledger.commit(new Submission(UUID.randomUUID(), principal, request));
    }

    private static void assertOutcome(boolean allowed, TransactionOutcome outcome, String... what) {
        String cell = what.length == 0 ? "" : what[0];
        if (allowed) {
            assertTrue(outcome != null && outcome.status() == TransactionStatus.COMMITTED,
                    cell + " is allowed: " + (outcome == null ? "refused at submission" : outcome.rejection()));
        } else if (outcome != null) {
            assertEquals(TransactionStatus.REJECTED, outcome.status(), cell + " is denied");
            assertEquals(RejectionCode.ACCESS_DENIED, outcome.rejection().code(), cell + ": " + outcome.rejection());
        }
    }

    private void expectCommitted(MeshPrincipal principal, Operation operation) {
        TransactionOutcome outcome = submit(principal, operation);
        if (outcome == null || outcome.status() != TransactionStatus.COMMITTED) {
            fail("setting up the matrix: " + operation + " by " + principal.party() + ": "
                    + (outcome == null ? "refused" : outcome.rejection()));
        }
    }

    /** A hidden record is refused exactly as a missing one, its id aside. */
    private static void assertHiddenLikeMissing(ThrowingRead hidden, ThrowingRead missing, String id) {
        NotFoundException h = assertThrows(NotFoundException.class, hidden::read);
        NotFoundException m = assertThrows(NotFoundException.class, missing::read);
        assertEquals(m.getMessage().replace(id + "-NONE", id), h.getMessage());
    }

    private static void assertNoValuesOf(JsonNode record, Set<String> readable, String text) {
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (readable.contains(field.getKey())) {
                continue;
            }
            for (String value : AccessOracle.texts(field.getValue())) {
                if (value.length() >= 6) {
                    assertFalse(text.contains(value), field.getKey() + "'s value " + value + " leaks into: " + text);
                }
            }
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        if (object != null) {
            object.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** The home owner's users are linked to record A's borrower; other parties' users to nothing. */
    private static String anchor(String party) {
        return party.equals("home-owner") ? "B-MXA" : null;
    }

    private static String link(String party) {
        return anchor(party) == null ? null : "Borrower/" + anchor(party);
    }

    private static MeshPrincipal editor(String party) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, party + "-editor", "sub-" + party,
                Set.of(Role.VIEWER, Role.EDITOR), link(party));
    }

    private static MeshPrincipal admin(String party) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, party + "-admin", "sub-admin-" + party,
                Set.of(Role.VIEWER, Role.PARTY_ADMIN), link(party));
    }

    @FunctionalInterface
    private interface ThrowingRead {
        Object read() throws Exception;
    }
}
