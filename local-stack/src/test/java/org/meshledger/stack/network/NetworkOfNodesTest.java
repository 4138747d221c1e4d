package org.meshledger.stack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ledger.identity.HostedElsewhereException;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.testing.TestPostgres;
import org.meshledger.stack.KafkaBroker;
import org.meshledger.stack.Ports;

/**
 * A network of three nodes in this process (each with its own database, one Kafka broker): the
 * servicer writes through its node; every node writes the same blocks and holds only what its
 * parties may read; a node stopped catches up; a node that diverges is found and halts.
 */
class NetworkOfNodesTest {

    private static final String TAX_ID = "987-65-4311";
    private static final MeshPrincipal SERVICER = principal("servicer", "servicer-system");

    @TempDir
    static Path home;
    private static KafkaBroker kafka;
    private static ThreeNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start(home.resolve("kafka"), Ports.free(), Ports.free(), home.resolve("logs/kafka.log"),
                Duration.ofMinutes(1));
        nodes = new ThreeNodes("mortgage-servicing", home.resolve("keys"), TestPostgres.shared(),
                kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyNodeWritesTheSameBlocksAndHoldsOnlyWhatItsPartiesMayRead() throws Exception {
        TransactionOutcome outcome = submit("servicer-node", SERVICER, borrower("B-100"), loan("L-100", "B-100"));

        assertEquals(TransactionStatus.COMMITTED, outcome.status(), String.valueOf(outcome.rejection()));
        awaitHeight(outcome.blockHeight());
        assertSameLedgers();
        RecordView seenByOwner = nodes.node("owner-node").reader().get(principal("loan-owner", "loan-owner-system"),
                "Borrower", "B-100", AsOf.NOW);
        assertEquals(TAX_ID, seenByOwner.state().path("taxId").asText());
        RecordView seenBySecuritizer = nodes.node("securitizer-node").reader().get(
                principal("securitizer", "securitizer-system"), "Borrower", "B-100", AsOf.NOW);
        assertFalse(seenBySecuritizer.state().has("taxId"));
        assertFalse(dump(nodes.database("securitizer-node")).contains(TAX_ID), "no tax id on the securitizer's node");
        for (String id : ThreeNodes.IDS) {
            assertTrue(new LedgerVerifier(nodes.network().id(), nodes.node(id).store()).verify().intact(), id);
        }
    }

    @Test
    void quorumAndAllAreReachedByCheckpoints() throws Exception {
        TransactionOutcome outcome = submit("servicer-node", SERVICER, borrower("B-200"));

        var agreement = nodes.ordering("servicer-node").agreement();
        assertEquals(2, agreement.await(outcome.blockHeight(), 2).get(20, TimeUnit.SECONDS));
        assertEquals(3, agreement.await(outcome.blockHeight(), 3).get(20, TimeUnit.SECONDS));
    }

    @Test
    void aNodeTakesWritesOfItsOwnPartiesOnly() {
        // Every node would refuse a batch of the owner's node carrying the servicer's transaction; the
        // owner's node refuses it first, naming the node that hosts the servicer.
        var refused = assertThrows(HostedElsewhereException.class,
                () -> submit("owner-node", SERVICER, borrower("B-300")));
        assertEquals("servicer-node", refused.host().node());
    }

    @Test
    void aStoppedNodeCatchesUpWithTheSameHashes() throws Exception {
        nodes.stop("securitizer-node");
        long height = 0;
        try {
            List<CompletableFuture<TransactionOutcome>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(nodes.node("servicer-node").submitter().submit(SERVICER, request(borrower("B-9" + i))));
            }
            for (CompletableFuture<TransactionOutcome> future : sent) {
                TransactionOutcome outcome = future.get(30, TimeUnit.SECONDS);
                assertEquals(TransactionStatus.COMMITTED, outcome.status());
                height = Math.max(height, outcome.blockHeight());
            }
        } finally {
            nodes.start("securitizer-node");
        }
        awaitHeight(height);
        assertSameLedgers();
    }

    private static TransactionOutcome submit(String node, MeshPrincipal principal, Operation... ops)
            throws Exception {
        return nodes.node(node).submitter().submit(principal, request(ops)).get(30, TimeUnit.SECONDS);
    }

    private static TransactionRequest request(Operation... ops) {
        return new TransactionRequest(null, null, null, null, List.of(ops));
    }

    private static Operation borrower(String id) {
        return new Operation(OperationKind.CREATE, "Borrower", id, null, Json.parse("""
                {"borrowerId": "%s", "fullName": "Ada Homeowner", "taxId": "%s",
                 "annualIncome": {"amount": "91234.56", "currency": "USD"}}""".formatted(id, TAX_ID)));
    }

    private static Operation loan(String loanNumber, String borrowerId) {
        return new Operation(OperationKind.CREATE, "Loan", loanNumber, null, Json.parse("""
                {"loanNumber": "%s", "borrowerId": "%s", "propertyId": "P-1",
                 "originalPrincipal": {"amount": "320000.00", "currency": "USD"},
                 "unpaidPrincipal": {"amount": "320000.00", "currency": "USD"},
                 "interestRate": "6.125", "termMonths": 360, "originationDate": "2024-03-01", "status": "current"}
                """.formatted(loanNumber, borrowerId)));
    }

    private static MeshPrincipal principal(String party, String name) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.SYSTEM, name, "sub",
                Set.of(Role.VIEWER, Role.EDITOR, Role.PARTY_ADMIN));
    }

    /** Waits until every node has written block {@code height}. */
    private static void awaitHeight(long height) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String id : ThreeNodes.IDS) {
            while (nodes.node(id).chain().height() < height) {
                if (System.nanoTime() > until) {
                    throw new AssertionError(id + " is at height " + nodes.node(id).chain().height() + ", not " + height);
                }
                Thread.sleep(20);
            }
        }
    }

    private static void assertSameLedgers() throws SQLException {
        LedgerCore reference = nodes.node("servicer-node");
        long height = reference.chain().height();
        for (String id : ThreeNodes.IDS) {
            LedgerCore node = nodes.node(id);
            for (long h = 1; h <= height; h++) {
                assertArrayEquals(reference.store().block(h).orElseThrow().hash(),
                        node.store().block(h).orElseThrow().hash(), id + " block " + h);
            }
        }
        assertNotNull(reference.store().block(height).orElseThrow());
    }

    private static String dump(DataSource db) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
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
