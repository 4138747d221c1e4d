package org.meshledger.ledger.ordering.kafka;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The order log's wire format: an order message in an envelope signed by the node that sends it.
 * Version 1, all integers big-endian, every length bounded:
 *
 * <pre>
 *  magic        4 bytes   "MLO1" (MeshLedger order message, format 1)
 *  kind         1 byte    1 = batch, 2 = time-to-cut
 *  network id   1 byte n (1..255), then n bytes UTF-8
 *  node id      1 byte m (1..255), then m bytes UTF-8
 *  body         4 bytes b (0..limit), then b bytes:
 *                 batch:       batch id (16 bytes: most, then least significant half of the UUID),
 *                              transaction count (4 bytes, at least 1), payload (the remaining b - 20 bytes)
 *                 time-to-cut: height (8 bytes, not negative)
 *  signature    64 bytes  Ed25519 by the node's key over
 *                         "MeshLedger order message v1" 0x00 || every byte above (magic to end of body)
 * </pre>
 *
 * Nothing may follow the signature, and each field has one encoding (strict UTF-8, exact lengths),
 * so a message has exactly one byte form: Ed25519 being deterministic, the same message signed again
 * gives the same bytes, and a batch published again is the same record. The domain prefix keeps
 * these signatures apart from anything else the node's key signs (its digests sign canonical JSON,
 * which starts with '{').
 *
 * <p>{@link #decode} never throws: a record is either a verified {@link OrderMessage} or skipped
 * with a {@link SkipReason}, checked in this order: size, envelope, network, node, signature, body.
 * Given the same network id, node keys and size limit (all network configuration, the same on every
 * node), every node decides the same for the same bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class OrderMessageCodec {

    /** The default limit for a whole message (1 MiB); the topic's {@code max.message.bytes} is sized above it. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    public static final int SIGNATURE_BYTES = 64;
    public static final int MAX_ID_BYTES = 255;

    static final byte[] MAGIC = {'M', 'L', 'O', '1'};
    static final byte BATCH = 1;
    static final byte TIME_TO_CUT = 2;
    private static final byte[] DOMAIN = "MeshLedger order message v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH_HEADER = 16 + 4;
    /** magic, kind, two id lengths, body length. */
    private static final int FIXED = MAGIC.length + 1 + 1 + 1 + 4;

    private final String networkId;
    private final Map<String, PublicKey> nodeKeys;
    private final int maxMessageBytes;

    /**
     * @param networkId the network this node belongs to; messages naming another are skipped
     * @param nodeKeys each node's Ed25519 public key, by node id
     * @param maxMessageBytes the largest message taken (the same on every node of the network)
     */
    public OrderMessageCodec(String networkId, Map<String, PublicKey> nodeKeys, int maxMessageBytes) {
        checkId(networkId, "network id");
        this.networkId = networkId;
        this.nodeKeys = Map.copyOf(nodeKeys);
        this.nodeKeys.forEach((node, key) -> {
            checkId(node, "node id");
            if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
                throw new IllegalArgumentException("The key of node " + node + " is " + key.getAlgorithm()
                        + ", not Ed25519");
            }
        });
        if (maxMessageBytes < FIXED + 2 + BATCH_HEADER + SIGNATURE_BYTES) {
            throw new IllegalArgumentException("A message limit of " + maxMessageBytes + " bytes is too small");
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    public String networkId() {
        return networkId;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** The largest batch payload {@code nodeId} can send within the message limit. */
    public int maxPayloadBytes(String nodeId) {
        return maxMessageBytes - FIXED - utf8(networkId).length - utf8(nodeId).length - BATCH_HEADER - SIGNATURE_BYTES;
    }

    /**
     * The message in its signed envelope.
     *
     * @throws IllegalArgumentException if it exceeds the message limit ({@link #maxPayloadBytes}) or
     *         the signer does not return a 64-byte signature
     */
    public byte[] encode(OrderMessage message, Signer signer) {
        byte[] body = body(message);
        byte[] node = checkId(message.nodeId(), "node id");
        byte[] network = utf8(networkId);
        int size = FIXED + network.length + node.length + body.length + SIGNATURE_BYTES;
        if (size > maxMessageBytes) {
            throw new IllegalArgumentException("A message of " + size + " bytes exceeds the order log's limit of "
                    + maxMessageBytes + " bytes; cut batches of at most " + maxPayloadBytes(message.nodeId())
                    + " payload bytes");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(message instanceof OrderMessage.Batch ? BATCH : TIME_TO_CUT);
            out.writeByte(network.length);
            out.write(network);
            out.writeByte(node.length);
            out.write(node);
            out.writeInt(body.length);
            out.write(body);
            byte[] signature = signer.sign(signed(bytes.toByteArray(), bytes.size()));
            if (signature == null || signature.length != SIGNATURE_BYTES) {
                throw new IllegalArgumentException("The signer returned " + (signature == null ? "nothing"
                        : signature.length + " bytes") + ", not a 64-byte Ed25519 signature");
            }
            out.write(signature);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] body(OrderMessage message) {
        if (message instanceof OrderMessage.Batch batch) {
            ByteBuffer body = ByteBuffer.allocate(BATCH_HEADER + batch.payloadSize());
            body.putLong(batch.batchId().getMostSignificantBits());
            body.putLong(batch.batchId().getLeastSignificantBits());
            body.putInt(batch.txCount());
            body.put(batch.payload());
            return body.array();
        }
        OrderMessage.TimeToCut cut = (OrderMessage.TimeToCut) message;
        return ByteBuffer.allocate(8).putLong(cut.height()).array();
    }

    /**
     * The verified message the record holds, or why it is skipped. Never throws: a hostile node may
     * publish anything.
     */
    public Decoded decode(byte[] value) {
        if (value == null) {
            return Decoded.skipped(SkipReason.MALFORMED, null, "the record has no value");
        }
        if (value.length > maxMessageBytes) {
            return Decoded.skipped(SkipReason.OVERSIZED, null, value.length + " bytes, more than the limit of "
                    + maxMessageBytes);
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        String node = null;
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return Decoded.skipped(SkipReason.MALFORMED, null, "not an order message (magic)");
            }
            byte kind = in.get();
            if (kind != BATCH && kind != TIME_TO_CUT) {
                return Decoded.skipped(SkipReason.MALFORMED, null, "unknown kind " + kind);
            }
            String network = readId(in);
            node = readId(in);
            if (network == null || node == null) {
                return Decoded.skipped(SkipReason.MALFORMED, null, "an id is empty or not UTF-8");
            }
            int bodyLength = in.getInt();
            if (bodyLength < 0 || bodyLength != in.remaining() - SIGNATURE_BYTES) {
                return Decoded.skipped(SkipReason.MALFORMED, node, "the body's length " + bodyLength
                        + " does not match the message");
            }
            int signedEnd = in.position() + bodyLength;
            if (!network.equals(networkId)) {
                return Decoded.skipped(SkipReason.OTHER_NETWORK, node, "for network " + network);
            }
            PublicKey key = nodeKeys.get(node);
            if (key == null) {
                return Decoded.skipped(SkipReason.UNKNOWN_NODE, node, "node " + node + " is not of the network");
            }
            byte[] signature = java.util.Arrays.copyOfRange(value, signedEnd, value.length);
            if (!verifies(key, signed(value, signedEnd), signature)) {
                return Decoded.skipped(SkipReason.BAD_SIGNATURE, node, "not signed by node " + node);
            }
            ByteBuffer body = ByteBuffer.wrap(value, in.position(), bodyLength).slice();
            return kind == BATCH ? batch(node, body) : timeToCut(node, body);
        } catch (BufferUnderflowException e) {
            return Decoded.skipped(SkipReason.MALFORMED, node, "truncated");
        } catch (RuntimeException e) {
            return Decoded.skipped(SkipReason.MALFORMED, node, "does not decode: " + e);
        }
    }

    private static Decoded batch(String node, ByteBuffer body) {
        if (body.remaining() < BATCH_HEADER) {
            return Decoded.skipped(SkipReason.MALFORMED, node, "a batch body of " + body.remaining() + " bytes");
        }
        UUID batchId = new UUID(body.getLong(), body.getLong());
        int txCount = body.getInt();
        if (txCount < 1) {
            return Decoded.skipped(SkipReason.MALFORMED, node, "a batch of " + txCount + " transactions");
        }
        byte[] payload = new byte[body.remaining()];
        body.get(payload);
        return Decoded.of(new OrderMessage.Batch(node, batchId, txCount, payload));
    }

    private static Decoded timeToCut(String node, ByteBuffer body) {
        if (body.remaining() != 8) {
            return Decoded.skipped(SkipReason.MALFORMED, node, "a time-to-cut body of " + body.remaining() + " bytes");
        }
        long height = body.getLong();
        if (height < 0) {
            return Decoded.skipped(SkipReason.MALFORMED, node, "a time-to-cut for height " + height);
        }
        return Decoded.of(new OrderMessage.TimeToCut(node, height));
    }

    private static boolean verifies(PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The domain prefix and the first {@code length} bytes of the envelope. */
    private static byte[] signed(byte[] envelope, int length) {
        byte[] signed = new byte[DOMAIN.length + length];
        System.arraycopy(DOMAIN, 0, signed, 0, DOMAIN.length);
        System.arraycopy(envelope, 0, signed, DOMAIN.length, length);
        return signed;
    }

    /** An id of 1..255 bytes of strict UTF-8, or null. */
    private static String readId(ByteBuffer in) {
        int length = Byte.toUnsignedInt(in.get());
        if (length == 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] checkId(String id, String what) {
        Objects.requireNonNull(id, what);
        byte[] bytes = utf8(id);
        if (bytes.length == 0 || bytes.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("A " + what + " has 1 to " + MAX_ID_BYTES + " bytes: '" + id + "'");
        }
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A record decoded: either {@code message} (verified) or {@code reason} with the node named
     * (when the envelope named one) and a detail for the log.
     */
    public record Decoded(OrderMessage message, SkipReason reason, String nodeId, String detail) {

        static Decoded of(OrderMessage message) {
            return new Decoded(message, null, message.nodeId(), null);
        }

        static Decoded skipped(SkipReason reason, String nodeId, String detail) {
            return new Decoded(null, reason, nodeId, detail);
        }

        public boolean verified() {
            return message != null;
        }
    }
}
