package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.update;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.proof.MerkleTree;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.migration.SchemaMigrations;

/** The same ordered blocks give the same hashes on two nodes, each with its own database. */
class DeterminismTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");

    @Test
    void twoNodesApplyingTheSameBlocksComputeTheSameLedger() throws SQLException {
        List<ProposedBlock> blocks = List.of(
                block(1, List.of(createBorrower("B-1"), createLoan("L-1")), List.of(createLoan("L-2"))),
                block(2, List.of(update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}")),
                        List.of(update("Loan", "L-1", 1, "{\"status\": \"current\"}"))));

        List<byte[]> first = applyAll(blocks);
        List<byte[]> second = applyAll(blocks);

        assertEquals(2, first.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "block " + (i + 1));
        }
    }

    @Test
    void theLedgerTreeKeepsTheRfc6962RootAtEverySize() {
        LedgerTree tree = new LedgerTree();
        List<byte[]> leaves = new ArrayList<>();
        assertArrayEquals(MerkleTree.root(leaves), tree.root());
        for (int i = 0; i < 100; i++) {
            byte[] leaf = MerkleTree.leafHash(("block " + i).getBytes(StandardCharsets.UTF_8));
            leaves.add(leaf);
            tree.append(leaf);
            assertArrayEquals(MerkleTree.root(leaves), tree.root(), "size " + leaves.size());
        }
    }

    private static List<byte[]> applyAll(List<ProposedBlock> blocks) throws SQLException {
        var dataSource = TestLedger.freshDatabase();
        new SchemaMigrations(dataSource).migrate();
        LedgerStore store = new LedgerStore(dataSource);
        ChainState chain = ChainState.load(store);
        BlockApplier applier = new BlockApplier(DemoNetwork.get(), new AccessPolicy(), store);
        for (ProposedBlock block : blocks) {
            applier.apply(block, chain, accepted -> { });
        }
        return store.blockHashes(Long.MAX_VALUE);
    }

    @SafeVarargs
    private static ProposedBlock block(int n, List<Operation>... transactions) {
        List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < transactions.length; i++) {
            UUID txId = UUID.nameUUIDFromBytes(("block " + n + " tx " + i).getBytes(StandardCharsets.UTF_8));
            submissions.add(new Submission(txId, SERVICER,
                    new TransactionRequest(null, null, null, null, transactions[i])));
        }
        return new ProposedBlock(Instant.parse("2026-11-22T10:00:00Z").plusSeconds(n), submissions);
    }
}
