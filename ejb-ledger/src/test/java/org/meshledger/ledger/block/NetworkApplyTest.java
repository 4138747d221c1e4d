package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.PublicTransactions;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.migration.SchemaMigrations;

/**
 * The apply step of a network of nodes, on three real databases: the servicer's node seals what it
 * submits; every node applies the same public parts with its own views and writes the same hashes,
 * holding only the values its parties may read.
 */
class NetworkApplyTest {

    private static final NetworkDefinition NETWORK = DemoNetwork.withNodes();
    private static final String TAX_ID = "987-65-4329";
    private static final String INCOME = "987654.31";
    private static final MeshPrincipal SERVICER = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.SYSTEM,
            "servicer-system", "sub", Set.of(Role.VIEWER, Role.EDITOR, Role.PARTY_ADMIN));

    /** One node: its database and its ledger. */
    private record Node(String id, DataSource db, LedgerStore store, ChainState chain, NetworkBlockApplier applier) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<NetworkBlockApplier.ViewMismatch> mismatches = new ArrayList<>();
    private final TransactionSealer sealer = new TransactionSealer(NETWORK, new AccessPolicy());

    @BeforeEach
    void nodes() throws SQLException {
        for (String id : List.of("owner-node", "servicer-node", "securitizer-node")) {
            DataSource db = TestLedger.freshDatabase();
            new SchemaMigrations(db).migrate();
            LedgerStore store = new LedgerStore(db);
            nodes.put(id, new Node(id, db, store, ChainState.load(store),
                    new NetworkBlockApplier(NETWORK, new AccessPolicy(), store)));
        }
    }

    @Test
    void everyNodeWritesTheSameHashesAndHoldsOnlyWhatItsPartiesMayRead() throws Exception {
        applyEverywhere(seal(Records.createLoan("L-1"), borrower("B-1")));
        applyEverywhere(seal(Records.update("Borrower", "B-1", 1, "{\"email\": \"ada@example.org\"}")));

        assertSameChains();
        Node owner = nodes.get("owner-node");
        Node securitizer = nodes.get("securitizer-node");
        assertTrue(dump(owner).contains(TAX_ID), "the loan owner reads tax ids");
        assertFalse(dump(securitizer).contains(TAX_ID), "the securitizer may not read a tax id");
        assertFalse(dump(securitizer).contains(INCOME), "the securitizer may not read an income");
        var held = securitizer.store().current(List.of(new RecordKey("Borrower", "B-1"))).values().iterator().next();
        assertNull(held.salt(), "no version salt, from which the tax id's salt would derive");
        assertEquals(Json.parse("{\"borrowerId\": \"B-1\"}"), Json.parse(held.state()), "the one field it may read");
        assertEquals(Set.of("taxId", "annualIncome", "fullName", "email"), fieldNamesOf(held.withheld()));
        assertFalse(dump(securitizer).contains("ada@example.org"));
        for (Node node : nodes.values()) {
            var report = new LedgerVerifier(NETWORK.id(), node.store()).verify();
            assertTrue(report.intact(), node.id() + ": " + report);
        }
        assertTrue(mismatches.isEmpty(), mismatches.toString());
    }

    @Test
    void aChangePreparedOnAVersionThatMovedOnIsRejectedAlikeEverywhere() throws Exception {
        applyEverywhere(seal(borrower("B-2")));
        SealedTransaction first = seal(Records.update("Borrower", "B-2", null, "{\"email\": \"one@example.org\"}"));
        SealedTransaction second = seal(Records.update("Borrower", "B-2", null, "{\"email\": \"two@example.org\"}"));

        List<TransactionOutcome> outcomes = applyEverywhere(first, second);

        assertEquals(TransactionStatus.COMMITTED, outcomes.get(0).status());
        assertEquals(RejectionCode.VERSION_CONFLICT, outcomes.get(1).rejection().code());
        assertTrue(outcomes.get(1).rejection().message().contains("not at version 1 on which this change was prepared"));
        assertSameChains();
    }

    @Test
    void aViewThatDoesNotMatchItsCommitmentIsEvidenceAndChangesNoHash() throws Exception {
        SealedTransaction honest = seal(borrower("B-3"));
        Map<String, List<VersionView>> forged = new LinkedHashMap<>(honest.views());
        VersionView ownerView = honest.viewsFor("owner-node").get(0);
        ObjectNode lie = ownerView.state().deepCopy();
        lie.set("annualIncome", Json.parse("{\"amount\": \"1.00\", \"currency\": \"USD\"}"));
        forged.put("owner-node", List.of(new VersionView(ownerView.type(), ownerView.id(), ownerView.version(), lie,
                ownerView.versionSalt(), null)));

        applyEverywhere(new SealedTransaction(honest.publicPart(), forged));

        assertSameChains();
        assertEquals(1, mismatches.size());
        assertTrue(mismatches.get(0).problem().contains("annualIncome does not match its commitment"));
        assertFalse(dump(nodes.get("owner-node")).contains("1.00\""), "a forged value is not kept");
        assertTrue(new LedgerVerifier(NETWORK.id(), nodes.get("owner-node").store()).verify().intact());
    }

    @Test
    void theWriteRulesHoldOnThePublicPartAlone() throws Exception {
        applyEverywhere(seal(borrower("B-4")));
        SealedTransaction sealed = seal(Records.update("Borrower", "B-4", null, "{\"email\": \"x@example.org\"}"));
        // A node that claims the securitizer wrote it: the public part alone refuses it.
        var pub = sealed.publicPart();
        var claimed = new org.meshledger.ledger.transaction.PublicTransaction(pub.txId(), new PartyId("securitizer"),
                pub.principalKind(), "securitizer-system", pub.roles(), null, null, null, pub.operations());

        List<TransactionOutcome> outcomes = applyEverywhere(new SealedTransaction(claimed, sealed.views()));

        assertEquals(RejectionCode.ACCESS_DENIED, outcomes.get(0).rejection().code());
        assertSameChains();
    }

    @Test
    void thePublicPartTravelsAsStrictJson() throws Exception {
        SealedTransaction sealed = seal(borrower("B-5"));
        PublicTransactions codec = new PublicTransactions(NETWORK.schema(),
                Set.of(new PartyId("servicer"), new PartyId("loan-owner"), new PartyId("securitizer"),
                        new PartyId("home-owner")), org.meshledger.ledger.schema.InputLimits.DEFAULT);
        ObjectNode json = PublicTransactions.toJson(sealed.publicPart());

        assertEquals(sealed.publicPart(), codec.parse(Json.parse(Json.write(json))));
        assertFalse(Json.write(json).contains(TAX_ID), "no value in the public part");
        ObjectNode bad = json.deepCopy();
        ((ObjectNode) bad.path("operations").get(0)).put("type", "Bank");
        assertThrows(PublicTransactions.MalformedException.class, () -> codec.parse(bad));
        ObjectNode badHash = json.deepCopy();
        ((ObjectNode) badHash.path("operations").get(0).path("fields")).put("taxId", "AAAA");
        assertThrows(PublicTransactions.MalformedException.class, () -> codec.parse(badHash));
    }

    private static Operation borrower(String id) {
        return new Operation(OperationKind.CREATE, "Borrower", id, null, Json.parse("""
                {"borrowerId": "%s", "fullName": "Ada Homeowner", "taxId": "%s",
                 "annualIncome": {"amount": "%s", "currency": "USD"}}"""
                .formatted(id, TAX_ID, INCOME)));
    }

    /** Seals a transaction of the servicer against the records as the servicer's node holds them. */
    private SealedTransaction seal(Operation... ops) throws Exception {
        LedgerStore store = nodes.get("servicer-node").store();
        Submission submission = new Submission(UUID.randomUUID(), SERVICER,
                new TransactionRequest(null, null, null, null, List.of(ops)));
        return sealer.seal(submission, key -> {
            try {
                var row = store.current(List.of(key)).get(key);
                if (row == null) {
                    return TransactionSealer.HeldRecord.ABSENT;
                }
                return new TransactionSealer.HeldRecord(new RecordState(row.version(),
                        row.deleted() ? null : Json.parse(row.state()), row.ownerParty(),
                        RecordAccess.stored(row.access())), row.salt() != null || row.deleted());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One block of these transactions, applied by every node with its own views; the servicer's outcomes. */
    private List<TransactionOutcome> applyEverywhere(SealedTransaction... block) throws SQLException {
        Instant time = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<TransactionOutcome> servicers = null;
        for (Node node : nodes.values()) {
            List<NetworkBlockApplier.OrderedTransaction> ordered = new ArrayList<>();
            for (SealedTransaction tx : block) {
                ordered.add(new NetworkBlockApplier.OrderedTransaction(tx.publicPart(), tx.viewsFor(node.id())));
            }
            List<TransactionOutcome> outcomes = node.applier().apply(ordered, time, node.chain(), mismatches::add);
            if (node.id().equals("servicer-node")) {
                servicers = outcomes;
            }
        }
        return servicers;
    }

    private void assertSameChains() throws SQLException {
        Node reference = nodes.get("servicer-node");
        for (Node node : nodes.values()) {
            assertEquals(reference.chain().height(), node.chain().height());
            for (long h = 1; h <= reference.chain().height(); h++) {
                assertArrayEquals(reference.store().block(h).orElseThrow().hash(), node.store().block(h).orElseThrow().hash(),
                        node.id() + " block " + h);
            }
            assertArrayEquals(reference.chain().tip().tree().root(), node.chain().tip().tree().root(), node.id());
        }
    }

    private static Set<String> fieldNamesOf(String json) {
        Set<String> names = new java.util.TreeSet<>();
        Json.parse(json).fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Everything the node's database holds, as text. */
    private static String dump(Node node) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = node.db().getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
