package org.meshledger.ledger.ordering.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The order log's wire format, pinned: what every node of a network must read and write the same,
 * byte for byte, and what no tampering gets past.
 */
class OrderMessageCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final UUID BATCH_ID = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    private static final OrderMessage.Batch BATCH = new OrderMessage.Batch(TestNodes.SERVICER, BATCH_ID, 3,
            "sealed".getBytes(StandardCharsets.US_ASCII));

    private final OrderMessageCodec codec = TestNodes.codec();

    @Test
    void theTestKeyIsRfc8032sFirst() {
        // RFC 8032, 7.1, TEST 1: the public key of seed 9d61b1...; the fixtures below rest on it.
        byte[] encoded = TestNodes.KEYS.get(TestNodes.SERVICER).getPublic().getEncoded();
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                HEX.formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
        assertTrue(TestNodes.KEYS.get(TestNodes.SERVICER).getPublic() instanceof EdECPublicKey);
    }

    @Test
    void aBatchIsEncodedAsDocumented() {
        byte[] encoded = codec.encode(BATCH, TestNodes.signer(TestNodes.SERVICER));
        String unsigned = "4d4c4f31" // magic "MLO1"
                + "01" // kind: batch
                + "08" + HEX.formatHex("mortgage".getBytes(StandardCharsets.UTF_8)) // network id
                + "08" + HEX.formatHex("servicer".getBytes(StandardCharsets.UTF_8)) // node id
                + "0000001a" // body: 26 bytes
                + "00112233445566778899aabbccddeeff" // batch id
                + "00000003" // transactions
                + HEX.formatHex("sealed".getBytes(StandardCharsets.US_ASCII)); // payload
        assertEquals(unsigned, HEX.formatHex(encoded, 0, encoded.length - 64));
        assertEquals(unsigned.length() / 2 + 64, encoded.length);
        // The signature covers the domain prefix and every byte before it; Ed25519 is deterministic.
        assertTrue(org.meshledger.ledger.proof.Ed25519.verify(TestNodes.KEYS.get(TestNodes.SERVICER).getPublic(),
                concat("MeshLedger order message v1\0".getBytes(StandardCharsets.US_ASCII),
                        Arrays.copyOf(encoded, encoded.length - 64)),
                Arrays.copyOfRange(encoded, encoded.length - 64, encoded.length)));
        assertArrayEquals(encoded, codec.encode(BATCH, TestNodes.signer(TestNodes.SERVICER)),
                "a message has one byte form: publishing it again gives the same record");
        assertEquals("886ef9d32e3e116fb3af68e0bd5c3212fa05f9e1535dbaa1e0a782ff51929ae4", HEX.formatHex(OrderLogFollower.sha256(encoded)),
                "the pinned encoding, signature included, of this batch");
    }

    @Test
    void aTimeToCutIsEncodedAsDocumented() {
        byte[] encoded = codec.encode(new OrderMessage.TimeToCut(TestNodes.OWNER, 258),
                TestNodes.signer(TestNodes.OWNER));
        assertEquals("4d4c4f31" + "02" + "08" + HEX.formatHex("mortgage".getBytes(StandardCharsets.UTF_8))
                + "0a" + HEX.formatHex("loan-owner".getBytes(StandardCharsets.UTF_8)) + "00000008"
                + "0000000000000102", HEX.formatHex(encoded, 0, encoded.length - 64));
    }

    @Test
    void messagesComeBackAsTheyWentVerified() {
        OrderMessageCodec.Decoded batch = codec.decode(codec.encode(BATCH, TestNodes.signer(TestNodes.SERVICER)));
        assertTrue(batch.verified(), String.valueOf(batch));
        assertEquals(BATCH, batch.message());
        OrderMessage.TimeToCut cut = new OrderMessage.TimeToCut(TestNodes.OWNER, 7);
        assertEquals(cut, codec.decode(codec.encode(cut, TestNodes.signer(TestNodes.OWNER))).message());
        OrderMessage.Batch empty = new OrderMessage.Batch(TestNodes.OWNER, UUID.randomUUID(), 1, new byte[0]);
        assertEquals(empty, codec.decode(codec.encode(empty, TestNodes.signer(TestNodes.OWNER))).message());
    }

    @Test
    void changingAnyByteOrItsLengthFailsVerification() {
        byte[] encoded = codec.encode(BATCH, TestNodes.signer(TestNodes.SERVICER));
        for (int i = 0; i < encoded.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = encoded.clone();
                tampered[i] ^= (byte) (1 << bit);
                OrderMessageCodec.Decoded decoded = codec.decode(tampered);
                assertFalse(decoded.verified(), "byte " + i + " bit " + bit + " changed: " + decoded);
            }
        }
        for (int length = 0; length < encoded.length; length++) {
            assertFalse(codec.decode(Arrays.copyOf(encoded, length)).verified(), "cut to " + length + " bytes");
        }
        OrderMessageCodec.Decoded longer = codec.decode(Arrays.copyOf(encoded, encoded.length + 1));
        assertEquals(SkipReason.MALFORMED, longer.reason(), "a byte after the signature");
    }

    @Test
    void eachWayOfBeingWrongHasItsReason() {
        OrderMessageCodec.Decoded otherNetwork = new OrderMessageCodec("other-network", Map.of(TestNodes.SERVICER,
                TestNodes.KEYS.get(TestNodes.SERVICER).getPublic()), OrderMessageCodec.DEFAULT_MAX_MESSAGE_BYTES)
                .decode(codec.encode(BATCH, TestNodes.signer(TestNodes.SERVICER)));
        assertEquals(SkipReason.OTHER_NETWORK, otherNetwork.reason());

        OrderMessage.Batch fromStranger = new OrderMessage.Batch(TestNodes.STRANGER, BATCH_ID, 1, new byte[3]);
        OrderMessageCodec.Decoded unknown = codec.decode(codec.encode(fromStranger, TestNodes.signer(TestNodes.STRANGER)));
        assertEquals(SkipReason.UNKNOWN_NODE, unknown.reason());
        assertEquals(TestNodes.STRANGER, unknown.nodeId());

        // The owner's key, in the servicer's name.
        OrderMessageCodec.Decoded forged = codec.decode(codec.encode(BATCH, TestNodes.signer(TestNodes.OWNER)));
        assertEquals(SkipReason.BAD_SIGNATURE, forged.reason());
        assertEquals(TestNodes.SERVICER, forged.nodeId());

        assertEquals(SkipReason.MALFORMED, codec.decode(null).reason());
        assertEquals(SkipReason.MALFORMED, codec.decode(new byte[0]).reason());
        assertEquals(SkipReason.MALFORMED, codec.decode("{\"not\": \"an order message\"}".getBytes(
                StandardCharsets.UTF_8)).reason());
        byte[] huge = new byte[OrderMessageCodec.DEFAULT_MAX_MESSAGE_BYTES + 1];
        System.arraycopy(codec.encode(BATCH, TestNodes.signer(TestNodes.SERVICER)), 0, huge, 0, 10);
        assertEquals(SkipReason.OVERSIZED, codec.decode(huge).reason());
    }

    @Test
    void aSignedButMalformedBodyIsSkippedInTheSignersName() throws Exception {
        // A batch of zero transactions, and a time-to-cut with a negative height, both properly signed.
        OrderMessageCodec.Decoded zero = codec.decode(handMade(TestNodes.SERVICER, (byte) 1,
                ByteBuffer.allocate(20).putLong(1).putLong(2).putInt(0).array()));
        assertEquals(SkipReason.MALFORMED, zero.reason());
        assertEquals(TestNodes.SERVICER, zero.nodeId());
        assertEquals(SkipReason.MALFORMED, codec.decode(handMade(TestNodes.SERVICER, (byte) 2,
                ByteBuffer.allocate(8).putLong(-1).array())).reason());
        assertEquals(SkipReason.MALFORMED, codec.decode(handMade(TestNodes.SERVICER, (byte) 2,
                ByteBuffer.allocate(9).putLong(1).array())).reason(), "a time-to-cut body of 9 bytes");
        assertEquals(SkipReason.MALFORMED, codec.decode(handMade(TestNodes.SERVICER, (byte) 3, new byte[8])).reason(),
                "an unknown kind");
        // The hand-made encoder is the codec's: a well-formed body verifies.
        assertTrue(codec.decode(handMade(TestNodes.SERVICER, (byte) 2, ByteBuffer.allocate(8).putLong(4).array()))
                .verified());
    }

    @Test
    void theWriterKeepsToTheLimit() {
        OrderMessageCodec small = TestNodes.codec(1000);
        int max = small.maxPayloadBytes(TestNodes.SERVICER);
        byte[] fits = small.encode(new OrderMessage.Batch(TestNodes.SERVICER, BATCH_ID, 1, new byte[max]),
                TestNodes.signer(TestNodes.SERVICER));
        assertEquals(1000, fits.length);
        assertTrue(small.decode(fits).verified());
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> small.encode(
                new OrderMessage.Batch(TestNodes.SERVICER, BATCH_ID, 1, new byte[max + 1]),
                TestNodes.signer(TestNodes.SERVICER)));
        assertTrue(tooBig.getMessage().contains("at most " + max), tooBig.getMessage());
        assertEquals(SkipReason.OVERSIZED, TestNodes.codec(999).decode(fits).reason());
        assertNull(TestNodes.codec(999).decode(fits).message());
    }

    /** An envelope written by hand around any body, signed by {@code node}. */
    private static byte[] handMade(String node, byte kind, byte[] body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'M', 'L', 'O', '1', kind});
        byte[] network = TestNodes.NETWORK.getBytes(StandardCharsets.UTF_8);
        out.writeByte(network.length);
        out.write(network);
        byte[] nodeBytes = node.getBytes(StandardCharsets.UTF_8);
        out.writeByte(nodeBytes.length);
        out.write(nodeBytes);
        out.writeInt(body.length);
        out.write(body);
        out.write(TestNodes.signer(node).sign(concat("MeshLedger order message v1\0".getBytes(StandardCharsets.US_ASCII),
                bytes.toByteArray())));
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
