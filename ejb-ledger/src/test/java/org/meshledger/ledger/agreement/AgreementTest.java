package org.meshledger.ledger.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.network.DemoNodes;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NodeDefinition;

/** Checkpoints compared: agreement counted for the commit levels, each fault a few lines. */
class AgreementTest {

    private static final DemoNodes NODES = DemoNodes.get();
    private static final NetworkDefinition NETWORK = NODES.network();
    private static final String A = "owner-node";
    private static final String B = "servicer-node";
    private static final String C = "securitizer-node";

    private final List<Evidence> evidence = new ArrayList<>();
    private final Agreement agreement = new Agreement(B, Set.of(A, B, C), evidence::add);

    @Test
    void agreementIsCountedAndAwaited() {
        CompletableFuture<Integer> quorum = agreement.await(1, 2);
        agreement.record(signed(B, 1, "block-1"));
        assertFalse(quorum.isDone());
        agreement.record(signed(C, 1, "block-1"));
        assertTrue(quorum.isDone());
        agreement.record(signed(A, 1, "block-1"));
        assertEquals(3, agreement.agreeing(1));
        assertTrue(evidence.isEmpty());
    }

    @Test
    void aNodeAgainstTheMajorityIsTheOneThatDiverged() {
        agreement.record(signed(B, 7, "block-7"));
        agreement.record(signed(A, 7, "block-7"));
        agreement.record(signed(C, 7, "forged-7"));
        assertEquals(List.of(C), evidence.stream().map(Evidence::node).toList());
        assertNull(agreement.halted(), "this node is in the majority");
    }

    @Test
    void thisNodeAgainstTheMajorityHalts() {
        agreement.record(signed(B, 3, "mine-3"));
        agreement.record(signed(A, 3, "block-3"));
        assertNull(agreement.halted(), "one against one: the third node decides");
        agreement.record(signed(C, 3, "block-3"));
        assertEquals(B, agreement.halted().node());
        assertTrue(agreement.halted().detail().contains("a majority of the network (2 of 3 nodes)"));
        assertEquals(2, agreement.halted().statements().size());
    }

    @Test
    void threeDifferentLedgersHaltThisNode() {
        agreement.record(signed(B, 4, "x"));
        agreement.record(signed(A, 4, "y"));
        agreement.record(signed(C, 4, "z"));
        assertTrue(agreement.halted().detail().contains("no majority can agree"));
    }

    @Test
    void twoCheckpointsOfOneNodeForOneHeightAreEquivocation() {
        SignedCheckpoint first = signed(A, 5, "block-5");
        SignedCheckpoint second = signed(A, 5, "other-5");
        agreement.record(first);
        agreement.record(second);
        assertEquals(Evidence.Kind.EQUIVOCATION, evidence.get(0).kind());
        assertEquals(List.of(first, second), evidence.get(0).statements());
    }

    @Test
    void aCheckpointIsKeptOnlyWithItsNodesSignature() {
        SignedCheckpoint honest = signed(A, 9, "block-9");
        byte[] bytes = honest.encode();
        assertEquals(honest.checkpoint(), decode(bytes).orElseThrow().checkpoint());
        String tampered = new String(bytes, StandardCharsets.UTF_8).replace("\"height\":9", "\"height\":10");
        assertTrue(decode(tampered.getBytes(StandardCharsets.UTF_8)).isEmpty());
        String impostor = new String(bytes, StandardCharsets.UTF_8).replace(A, C);
        assertTrue(decode(impostor.getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(decode("{\"node\":".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    private static java.util.Optional<SignedCheckpoint> decode(byte[] bytes) {
        return SignedCheckpoint.decode(bytes, NETWORK.id(),
                node -> NETWORK.node(node).map(NodeDefinition::signingKey).orElse(null));
    }

    private static SignedCheckpoint signed(String node, long height, String block) {
        Checkpoint checkpoint = new Checkpoint(NETWORK.id(), node, height, hash(block), hash("state-" + height),
                hash("root-" + block));
        return new SignedCheckpoint(checkpoint, NODES.keys(node).signing().sign(checkpoint.signedBytes()));
    }

    private static String hash(String text) {
        try {
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
