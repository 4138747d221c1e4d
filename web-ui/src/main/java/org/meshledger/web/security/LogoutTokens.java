package org.meshledger.web.security;

import java.util.Map;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import org.meshledger.ledger.identity.IdentityProviderSettings;

/**
 * Reads an OpenID Connect back-channel logout token (OpenID Connect Back-Channel Logout 1.0,
 * section 2.4): a JWT signed by the identity provider with one of the keys it publishes, from its
 * issuer, with the back-channel logout event, a session id and no nonce. The token names the client
 * it was sent to as its audience; any of the network's clients will do, as tokens of all of them
 * reach the API.
 */
final class LogoutTokens {

    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private final JwtConsumer consumer;

    LogoutTokens(IdentityProviderSettings settings) {
        String issuer = settings.providerUrl().toString();
        consumer = new JwtConsumerBuilder()
                .setExpectedIssuer(issuer)
                .setSkipDefaultAudienceValidation()
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds(60)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(
                        new HttpsJwks(issuer + "/protocol/openid-connect/certs")))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .build();
    }

    /**
     * @return the id of the session that ended
     * @throws IllegalArgumentException saying why the token is not a valid logout token
     */
    String endedSession(String token) {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new IllegalArgumentException("the logout token is not valid: " + e.getMessage(), e);
        }
        try {
            Object events = claims.getClaimValue("events");
            if (!(events instanceof Map<?, ?> map) || !map.containsKey(EVENT)) {
                throw new IllegalArgumentException("the token has no back-channel logout event");
            }
            if (claims.hasClaim("nonce")) {
                throw new IllegalArgumentException("a logout token has no nonce");
            }
            String sid = claims.getStringClaimValue("sid");
            if (sid == null || sid.isBlank()) {
                throw new IllegalArgumentException("the logout token names no session (sid)");
            }
            return sid;
        } catch (MalformedClaimException e) {
            throw new IllegalArgumentException("the logout token's claims are malformed: " + e.getMessage(), e);
        }
    }
}
