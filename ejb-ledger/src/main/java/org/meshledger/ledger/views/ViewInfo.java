package org.meshledger.ledger.views;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HPKE {@code info} of a view: what binds it to its context, so that it opens only for the network,
 * the submission batch and the recipient node it was sealed for. The encoding is unambiguous: a fixed
 * label, then each field as a 2-byte big-endian length and its UTF-8 bytes (so ("ab","c") and ("a","bc")
 * differ). Stateless and thread-safe.
 */
public final class ViewInfo {

    /** The label that starts every info: the protocol and the version of this encoding. */
    static final String LABEL = "meshledger/view/v1";

    private ViewInfo() {
    }

    /**
     * The info for the view of one batch sealed to one node.
     *
     * @throws IllegalArgumentException if a field is empty or longer than 65535 UTF-8 bytes
     */
    public static byte[] of(String networkId, String batchId, String recipientNodeId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        field(out, "networkId", networkId);
        field(out, "batchId", batchId);
        field(out, "recipientNodeId", recipientNodeId);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        byte[] bytes = Objects.requireNonNull(value, name).getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("View info: " + name + " must have 1 to 65535 UTF-8 bytes, it has "
                    + bytes.length);
        }
        out.write(bytes.length >>> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
