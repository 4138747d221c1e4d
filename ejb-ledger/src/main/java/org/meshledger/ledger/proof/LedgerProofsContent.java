package org.meshledger.ledger.proof;

import java.nio.charset.StandardCharsets;

import org.meshledger.ledger.json.JsonStrings;

/**
 * The canonical JSON a digest's signature covers, written with the JDK alone (its members are a
 * string, an integer, a base64 string and an ISO time, already in RFC 8785 order), so that the
 * standalone verifier and the node produce the same bytes.
 */
final class LedgerProofsContent {

    private LedgerProofsContent() {
    }

    static byte[] digest(String network, long height, String root, String time) {
        return ("{\"height\":" + height + ",\"network\":" + quote(network) + ",\"root\":" + quote(root) + ",\"time\":"
                + quote(time) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return JsonStrings.quote(text);
    }
}
