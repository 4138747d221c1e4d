package org.meshledger.ledger.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.HostedElsewhereException;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyHosting;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;

/** The network file's {@code nodes}: who hosts which party, with which keys; every mistake named. */
class NetworkNodesTest {

    @Test
    void theDemoTopologyIsRead() throws Exception {
        NetworkDefinition network = load(root -> { });

        assertTrue(network.hasNodes());
        assertEquals(List.of("owner-node", "servicer-node", "securitizer-node"),
                network.nodes().stream().map(NodeDefinition::id).toList());
        NodeDefinition servicerNode = network.hostOf(new PartyId("home-owner")).orElseThrow();
        assertEquals("servicer-node", servicerNode.id());
        assertEquals(List.of(new PartyId("servicer"), new PartyId("home-owner")), servicerNode.parties());
        assertEquals("User:servicer-node", servicerNode.kafkaPrincipal());
        assertEquals("http://127.0.0.1:8280", servicerNode.address());
        assertEquals("EdDSA", servicerNode.signingKey().getAlgorithm());
        assertEquals("XDH", servicerNode.encryptionKey().getAlgorithm());
    }

    @Test
    void withoutNodesOneNodeHostsEveryParty() {
        NetworkDefinition network = DemoNetwork.get();

        assertFalse(network.hasNodes());
        assertTrue(network.hostOf(new PartyId("servicer")).isEmpty());
    }

    @Test
    void aPartyHostedByNoNodeIsNamed() {
        assertRefused(root -> nodes(root).remove(2), "party 'securitizer' is hosted by no node");
    }

    @Test
    void aPartyHostedTwiceIsNamed() {
        assertRefused(root -> ((ArrayNode) nodes(root).get(0).path("parties")).add("servicer"),
                "hosts party 'servicer', which node 'owner-node' hosts already");
    }

    @Test
    void anUnknownPartyIsNamed() {
        assertRefused(root -> ((ArrayNode) nodes(root).get(0).path("parties")).add("bank"),
                "node 'owner-node' hosts 'bank', which is no party of the network");
    }

    @Test
    void keysOfTheWrongCurveAreRefused() throws Exception {
        String x25519 = nodes(template()).get(0).path("encryptionKey").asText();
        String ed25519 = nodes(template()).get(0).path("signingKey").asText();
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("signingKey", x25519),
                "node 'servicer-node': its signingKey is not an Ed25519 public key");
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("encryptionKey", ed25519),
                "node 'servicer-node': its encryptionKey is not an X25519 public key");
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).remove("encryptionKey"),
                "node 'servicer-node' needs a encryptionKey");
    }

    @Test
    void aKeySharedBetweenNodesIsRefused() {
        assertRefused(root -> ((ObjectNode) nodes(root).get(2)).set("signingKey", nodes(root).get(0).path("signingKey")),
                "node 'securitizer-node' uses a key another node");
    }

    @Test
    void theKafkaPrincipalIsChecked() {
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("kafkaPrincipal", "servicer-node"),
                "kafkaPrincipal must be 'User:<name>'");
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("kafkaPrincipal", "User:owner-node"),
                "kafkaPrincipal 'User:owner-node' is another node's");
    }

    @Test
    void nodeIdsAreCheckedAndUnique() {
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("id", "owner-node"), "node 'owner-node' is defined twice");
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("id", "Servicer Node"),
                "node id 'Servicer Node' is not lower-case words");
        assertRefused(root -> ((ObjectNode) nodes(root).get(1)).put("address", "javascript:alert(1)"),
                "address must be an http(s) URL");
    }

    @Test
    void aNodeServesTheCallersOfItsOwnPartiesAndSendsOthersToTheirNode() throws Exception {
        PartyHosting hosting = load(root -> { }).hosting("servicer-node");

        assertEquals("servicer-node", hosting.node());
        hosting.check(user("home-owner"));
        hosting.check(user("servicer"));
        HostedElsewhereException e = assertThrows(HostedElsewhereException.class, () -> hosting.check(user("loan-owner")));
        assertEquals("owner-node", e.host().node());
        assertEquals("Party loan-owner is hosted by node owner-node (http://127.0.0.1:8180), not by this node "
                + "(servicer-node): call that node", e.getMessage());
    }

    @Test
    void theNodeIdMustNameANodeOfTheFile() throws Exception {
        NetworkDefinition network = load(root -> { });
        assertTrue(assertThrows(NetworkDefinitionException.class, () -> network.hosting(null)).getMessage()
                .contains("set MESHLEDGER_NODE_ID to this node's id"));
        assertTrue(assertThrows(NetworkDefinitionException.class, () -> network.hosting("bank-node")).getMessage()
                .contains("node 'bank-node', which network 'mortgage-servicing' does not define"));
        assertTrue(assertThrows(NetworkDefinitionException.class, () -> DemoNetwork.get().hosting("owner-node"))
                .getMessage().contains("defines no nodes: remove MESHLEDGER_NODE_ID"));
        DemoNetwork.get().hosting(null).check(user("loan-owner"));
    }

    private static MeshPrincipal user(String party) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, party + "-user", "subject", Set.of(Role.VIEWER));
    }

    /** The demo network's file with the demo topology and fresh keys. */
    static ObjectNode template() throws Exception {
        ObjectNode root;
        try (var in = NetworkNodesTest.class.getResourceAsStream(DemoNetwork.RESOURCE)) {
            root = (ObjectNode) Json.MAPPER.readTree(in);
        }
        ArrayNode nodes = root.putArray("nodes");
        nodes.add(node("owner-node", 8180, "loan-owner"));
        nodes.add(node("servicer-node", 8280, "servicer", "home-owner"));
        nodes.add(node("securitizer-node", 8380, "securitizer"));
        return root;
    }

    private static ObjectNode node(String id, int port, String... parties) throws Exception {
        ObjectNode node = Json.object();
        node.put("id", id);
        ArrayNode hosted = node.putArray("parties");
        for (String party : parties) {
            hosted.add(party);
        }
        node.put("signingKey", Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded()));
        node.put("encryptionKey", Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded()));
        node.put("kafkaPrincipal", "User:" + id);
        node.put("address", "http://127.0.0.1:" + port);
        return node;
    }

    private static ArrayNode nodes(JsonNode root) {
        return (ArrayNode) root.path("nodes");
    }

    private static void assertRefused(Consumer<JsonNode> change, String expected) {
        NetworkDefinitionException e = assertThrows(NetworkDefinitionException.class, () -> load(change));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static NetworkDefinition load(Consumer<JsonNode> change) throws Exception {
        ObjectNode root = template();
        change.accept(root);
        return new NetworkLoader().load(new ByteArrayInputStream(Json.write(root).getBytes(StandardCharsets.UTF_8)),
                "test network");
    }
}
