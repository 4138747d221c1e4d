package org.meshledger.ledger.ordering.kafka;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The nodes of the tests' network, with Ed25519 keys derived from fixed seeds (so encodings and
 * signatures are the same on every run): {@code servicer} has RFC 8032's first test key.
 */
final class TestNodes {

    static final String NETWORK = "mortgage";
    static final String SERVICER = "servicer";
    static final String OWNER = "loan-owner";
    /** A node with a key that is not in the network's map. */
    static final String STRANGER = "stranger";

    static final Map<String, KeyPair> KEYS = new HashMap<>();

    static {
        KEYS.put(SERVICER, pair("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        KEYS.put(OWNER, pair("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
        KEYS.put(STRANGER, pair("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"));
    }

    private TestNodes() {
    }

    /** The codec of a node of the network (servicer and loan-owner known; the stranger not). */
    static OrderMessageCodec codec(int maxMessageBytes) {
        return new OrderMessageCodec(NETWORK, Map.of(SERVICER, KEYS.get(SERVICER).getPublic(), OWNER,
                KEYS.get(OWNER).getPublic()), maxMessageBytes);
    }

    static OrderMessageCodec codec() {
        return codec(OrderMessageCodec.DEFAULT_MAX_MESSAGE_BYTES);
    }

    static Signer signer(String node) {
        return Signer.ed25519(KEYS.get(node).getPrivate());
    }

    private static KeyPair pair(String seedHex) {
        byte[] seed = HexFormat.of().parseHex(seedHex);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
