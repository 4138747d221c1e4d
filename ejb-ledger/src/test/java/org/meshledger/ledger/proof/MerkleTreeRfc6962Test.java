package org.meshledger.ledger.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 6962 test vectors of the C2SP project (test resources, testdata/rfc6962): every tree head is
 * reproduced, every valid proof is generated exactly and accepted, every invalid one refused.
 */
class MerkleTreeRfc6962Test {

    /** Copied from the C2SP project with its licence (src/test/resources/testdata/rfc6962/LICENSE). */
    private static final String VECTORS = "/testdata/rfc6962/";

    @Test
    void reproducesEveryTreeHead() throws IOException {
        List<byte[]> leaves = new ArrayList<>();
        for (JsonNode head : read("merkle_tree.json")) {
            byte[] leaf = MerkleTree.leafHash(head.get("leaf_data").asText().getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(bytes(head, "leaf_hash"), leaf, "leaf " + head.get("leaf_data"));
            leaves.add(leaf);
            assertArrayEquals(bytes(head, "root_hash"), MerkleTree.root(leaves), "head of " + leaves.size() + " leaves");
        }
    }

    @Test
    void theEmptyTreeHasTheHashOfNothing() {
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                Base64.getEncoder().encodeToString(MerkleTree.root(List.of())));
    }

    static Stream<JsonNode> validInclusions() throws IOException {
        return elements(read("inclusion-valid.json"));
    }

    @ParameterizedTest
    @MethodSource("validInclusions")
    void generatesAndAcceptsEveryValidInclusionProof(JsonNode vector) throws IOException {
        int index = vector.get("leaf_index").asInt();
        int size = vector.get("tree_size").asInt();
        List<byte[]> leaves = leaves(size);

        assertEquals(hex(hashes(vector, "inclusion_path")), hex(MerkleTree.inclusionProof(leaves, index)));
        assertArrayEquals(bytes(vector, "root_hash"), MerkleTree.root(leaves));
        assertTrue(MerkleTree.verifyInclusion(index, size, bytes(vector, "leaf_hash"), hashes(vector, "inclusion_path"),
                bytes(vector, "root_hash")));
    }

    static Stream<JsonNode> invalidInclusions() throws IOException {
        return elements(read("inclusion-invalid.json"));
    }

    @ParameterizedTest
    @MethodSource("invalidInclusions")
    void refusesEveryInvalidInclusionProof(JsonNode vector) {
        assertFalse(MerkleTree.verifyInclusion(vector.get("leaf_index").asLong(), vector.get("tree_size").asLong(),
                bytes(vector, "leaf_hash"), hashes(vector, "inclusion_path"), bytes(vector, "root_hash")),
                vector.get("comment").asText());
    }

    static Stream<JsonNode> validConsistencies() throws IOException {
        return elements(read("consistency-valid.json"));
    }

    @ParameterizedTest
    @MethodSource("validConsistencies")
    void generatesAndAcceptsEveryValidConsistencyProof(JsonNode vector) throws IOException {
        int oldSize = vector.get("old_size").asInt();
        int newSize = vector.get("new_size").asInt();
        List<byte[]> leaves = leaves(newSize);

        assertEquals(hex(hashes(vector, "consistency_path")), hex(MerkleTree.consistencyProof(leaves, oldSize)));
        assertTrue(MerkleTree.verifyConsistency(oldSize, newSize, bytes(vector, "old_root"), bytes(vector, "new_root"),
                hashes(vector, "consistency_path")));
    }

    static Stream<JsonNode> invalidConsistencies() throws IOException {
        return elements(read("consistency-invalid.json"));
    }

    @ParameterizedTest
    @MethodSource("invalidConsistencies")
    void refusesEveryInvalidConsistencyProof(JsonNode vector) {
        assertFalse(MerkleTree.verifyConsistency(vector.get("old_size").asLong(), vector.get("new_size").asLong(),
                bytes(vector, "old_root"), bytes(vector, "new_root"), hashes(vector, "consistency_path")),
                vector.get("comment").asText());
    }

    @Test
    void everyProofOfEveryTreeUpToSixtyFourLeavesVerifiesAndATamperedOneDoesNot() {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(MerkleTree.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int size = 1; size <= all.size(); size++) {
            List<byte[]> leaves = all.subList(0, size);
            byte[] root = MerkleTree.root(leaves);
            for (int index = 0; index < size; index++) {
                List<byte[]> path = MerkleTree.inclusionProof(leaves, index);
                assertTrue(MerkleTree.verifyInclusion(index, size, leaves.get(index), path, root));
                assertFalse(MerkleTree.verifyInclusion(index, size, all.get((index + 1) % all.size()), path, root),
                        "another leaf");
                if (!path.isEmpty()) {
                    List<byte[]> truncated = path.subList(0, path.size() - 1);
                    assertFalse(MerkleTree.verifyInclusion(index, size, leaves.get(index), truncated, root), "truncated");
                }
            }
            for (int oldSize = 1; oldSize < size; oldSize++) {
                List<byte[]> proof = MerkleTree.consistencyProof(leaves, oldSize);
                byte[] oldRoot = MerkleTree.root(all.subList(0, oldSize));
                assertTrue(MerkleTree.verifyConsistency(oldSize, size, oldRoot, root, proof));
                assertFalse(MerkleTree.verifyConsistency(oldSize, size, root, oldRoot, proof), "roots swapped");
            }
        }
    }

    private static List<byte[]> leaves(int size) throws IOException {
        List<byte[]> leaves = new ArrayList<>();
        for (JsonNode head : read("merkle_tree.json")) {
            if (leaves.size() == size) {
                break;
            }
            leaves.add(bytes(head, "leaf_hash"));
        }
        assertEquals(size, leaves.size(), "merkle_tree.json has enough leaves");
        return leaves;
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = MerkleTreeRfc6962Test.class.getResourceAsStream(VECTORS + name)) {
            if (in == null) {
                throw new IOException("Test vectors missing from the test resources: " + VECTORS + name);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    private static byte[] bytes(JsonNode node, String field) {
        return node.get(field).isNull() ? null : Base64.getDecoder().decode(node.get(field).asText());
    }

    private static List<byte[]> hashes(JsonNode node, String field) {
        List<byte[]> list = new ArrayList<>();
        if (node.hasNonNull(field)) {
            node.get(field).forEach(hash -> list.add(Base64.getDecoder().decode(hash.asText())));
        }
        return list;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(h -> java.util.HexFormat.of().formatHex(h)).toList();
    }
}
