package org.meshledger.ledger.ordering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.SealedTransaction;
import org.meshledger.ledger.block.TransactionSealer;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNodes;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.schema.InputLimits;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.PublicTransactions;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.views.HpkeViewSealing;

/** A batch on the order topic: public parts in the clear, each node's views readable by that node alone. */
class BatchCodecTest {

    private static final DemoNodes NODES = DemoNodes.get();
    private static final NetworkDefinition NETWORK = NODES.network();
    private static final String TAX_ID = "987-65-4320";
    private static final UUID BATCH = UUID.randomUUID();
    private static final Instant DEADLINE = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void eachNodeOpensItsOwnViewsAndNothingReadableTravelsInTheClear() throws Exception {
        byte[] payload = codec("servicer-node").encode("servicer-node", BATCH, DEADLINE, List.of(borrower("B-1")));

        assertFalse(new String(payload, StandardCharsets.UTF_8).contains(TAX_ID));
        assertFalse(new String(payload, StandardCharsets.UTF_8).contains("Ada Homeowner"));
        SealedBatch owner = codec("owner-node").decode("servicer-node", "owner-node", payload, this::fail);
        SealedBatch securitizer = codec("securitizer-node").decode("servicer-node", "securitizer-node", payload, this::fail);
        assertEquals(TAX_ID, owner.transactions().get(0).views().get(0).state().path("taxId").asText());
        assertTrue(owner.transactions().get(0).views().get(0).complete());
        var securitizerView = securitizer.transactions().get(0).views().get(0);
        assertFalse(securitizerView.state().has("taxId"));
        assertNull(securitizerView.versionSalt());
        assertEquals(Set.of("borrowerId"), securitizerView.fieldSalts().keySet());
        assertEquals(owner.transactions().get(0).publicPart(), securitizer.transactions().get(0).publicPart());
        assertEquals(DEADLINE, owner.deadline());
    }

    @Test
    void viewsSealedToAnotherNodeDoNotOpenAndAreReportedNotApplied() throws Exception {
        byte[] payload = codec("servicer-node").encode("servicer-node", BATCH, DEADLINE, List.of(borrower("B-2")));
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(payload);
        ObjectNode views = (ObjectNode) json.path("views");
        views.set("securitizer-node", views.path("owner-node"));
        List<String> problems = new ArrayList<>();

        SealedBatch batch = codec("securitizer-node").decode("servicer-node", "securitizer-node",
                Json.write(json).getBytes(StandardCharsets.UTF_8), problems::add);

        assertTrue(batch.transactions().get(0).views().isEmpty());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("do not open for node securitizer-node"));
    }

    @Test
    void aBatchIsRefusedWholeWhenItsSenderSubmitsForAPartyItDoesNotHost() throws Exception {
        byte[] payload = codec("servicer-node").encode("servicer-node", BATCH, DEADLINE, List.of(borrower("B-3")));

        var e = assertThrows(PublicTransactions.MalformedException.class,
                () -> codec("owner-node").decode("owner-node", "owner-node", payload, this::fail));
        assertTrue(e.getMessage().contains("another sender"), e.getMessage());
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(payload);
        json.put("node", "owner-node");
        var hosted = assertThrows(PublicTransactions.MalformedException.class, () -> codec("owner-node")
                .decode("owner-node", "owner-node", Json.write(json).getBytes(StandardCharsets.UTF_8), this::fail));
        assertTrue(hosted.getMessage().contains("which node owner-node does not host"), hosted.getMessage());
    }

    @Test
    void aRepeatedTransactionOrGarbageIsRefused() throws Exception {
        SealedTransaction tx = borrower("B-4");
        byte[] twice = codec("servicer-node").encode("servicer-node", BATCH, DEADLINE, List.of(tx, tx));

        assertThrows(PublicTransactions.MalformedException.class,
                () -> codec("owner-node").decode("servicer-node", "owner-node", twice, this::fail));
        assertThrows(PublicTransactions.MalformedException.class, () -> codec("owner-node")
                .decode("servicer-node", "owner-node", "{\"v\":1".getBytes(StandardCharsets.UTF_8), this::fail));
    }

    private void fail(String problem) {
        throw new AssertionError(problem);
    }

    private static BatchCodec codec(String node) {
        return new BatchCodec(NETWORK, new PublicTransactions(NETWORK.schema(),
                NETWORK.parties().stream().map(PartyDefinition::id).collect(Collectors.toSet()), InputLimits.DEFAULT),
                new HpkeViewSealing(NODES.keys(node).encryption()));
    }

    private static SealedTransaction borrower(String id) throws Exception {
        Operation create = new Operation(OperationKind.CREATE, "Borrower", id, null, Json.parse("""
                {"borrowerId": "%s", "fullName": "Ada Homeowner", "taxId": "%s"}""".formatted(id, TAX_ID)));
        MeshPrincipal servicer = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.SYSTEM, "servicer-system",
                "sub", Set.of(Role.VIEWER, Role.EDITOR));
        return new TransactionSealer(NETWORK, new AccessPolicy()).seal(new Submission(UUID.randomUUID(), servicer,
                new TransactionRequest(null, null, null, null, List.of(create))), key -> TransactionSealer.HeldRecord.ABSENT);
    }

}
