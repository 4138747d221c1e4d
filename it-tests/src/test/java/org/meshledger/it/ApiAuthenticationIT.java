package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshledger.stack.DemoRealm;
import org.meshledger.stack.DemoRealm.DemoSystem;

/** The REST API with bearer tokens: who gets in, as whom, and who does not. */
@MeshLedgerIT
class ApiAuthenticationIT {

    private static final String SHORT_LIVED_CLIENT = "it-short-lived";
    private static final String NO_AUDIENCE_CLIENT = "it-no-audience";

    private final WebClient web = new WebClient();

    @BeforeAll
    static void testPrincipals() {
        Keycloak.createClient(SHORT_LIVED_CLIENT, "it-secret", Map.of("access.token.lifespan", "3"), true);
        Keycloak.createClient(NO_AUDIENCE_CLIENT, "it-secret", Map.of(), false);
        Keycloak.createUser("rita.noroles", "it-password", List.of("/parties/servicer"), List.of());
        Keycloak.createUser("oscar.outsider", "it-password", List.of(), List.of("viewer", "editor"));
        Keycloak.createUser("sally.signsout", "it-password", List.of("/parties/servicer"), List.of("viewer"));
        Keycloak.createUser("stan.stays", "it-password", List.of("/parties/servicer"), List.of("viewer"));
        // A client of the servicer (by its name) whose service account sits in the loan owner's group.
        Keycloak.createSystemClient("servicer-rogue", "it-secret", "/parties/loan-owner", List.of("viewer", "editor"));
    }

    @Test
    void aTokenOfAnEndedSessionIs401AtOnceAndOtherSessionsGoOn() {
        String sally = Keycloak.userToken("sally.signsout", "it-password");
        String stan = Keycloak.userToken("stan.stays", "it-password");
        assertEquals(200, api("/api/me", sally).statusCode());

        Keycloak.endSessions("sally.signsout");

        HttpResponse<String> after = api("/api/me", sally);
        assertEquals(401, after.statusCode(), "the token has not expired, its session has: " + after.body());
        assertTrue(after.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        // Every resource applies the same check, the network's public definition included.
        for (String path : List.of("/api/network", "/api/records/Loan?size=1", "/api/ledger/digest",
                "/api/data-products", "/api/connectors")) {
            assertEquals(401, api(path, sally).statusCode(), path);
        }
        assertEquals(200, api("/api/me", stan).statusCode(), "another user's session is untouched");
        assertEquals(200, api("/api/me", Keycloak.userToken("sally.signsout", "it-password")).statusCode(),
                "signing in again gives a new session");
    }

    @Test
    void aForgedLogoutIsRefusedAndEndsNothing() throws Exception {
        String stan = Keycloak.userToken("stan.stays", "it-password");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair someoneElsesKey = generator.generateKeyPair();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Keycloak.baseUrl() + "/realms/mortgage-network");
        claims.setIssuedAtToNow();
        claims.setClaim("sid", sessionOf(stan));
        claims.setClaim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(claims.toJson());
        forged.setKey(someoneElsesKey.getPrivate());
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);

        HttpResponse<String> refused = web.postForm(TestStack.portalUrl() + "/oidc/backchannel-logout",
                Map.of("logout_token", forged.getCompactSerialization()));

        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(200, api("/api/me", stan).statusCode(), "the session goes on");
    }

    @Test
    void aTokenFromAnotherRealmIs401() {
        String realm = "other-network";
        Keycloak.createRealm(Map.of("realm", realm, "enabled", true,
                "groups", List.of(Map.of("name", "parties", "subGroups", List.of(Map.of("name", "servicer")))),
                "clients", List.of(Map.of("clientId", "look-alike", "secret", "it-secret", "publicClient", false,
                        "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                        "protocolMappers", List.of(
                                Map.of("name", "groups", "protocol", "openid-connect",
                                        "protocolMapper", "oidc-group-membership-mapper",
                                        "config", Map.of("full.path", "true", "claim.name", "groups",
                                                "access.token.claim", "true")),
                                Map.of("name", "audience", "protocol", "openid-connect",
                                        "protocolMapper", "oidc-audience-mapper",
                                        "config", Map.of("included.custom.audience", "meshledger-api",
                                                "access.token.claim", "true"))))),
                "users", List.of(Map.of("username", "mallory", "enabled", true, "email", "mallory@it.meshledger.org",
                        "emailVerified", true, "firstName", "Mal", "lastName", "Lory", "groups", List.of("/parties/servicer"),
                        "credentials", List.of(Map.of("type", "password", "value", "it-password", "temporary", false))))));
        String token = Keycloak.accessToken(Keycloak.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "look-alike", "client_secret", "it-secret",
                        "username", "mallory", "password", "it-password"));

        assertEquals(401, api("/api/me", token).statusCode(), "same server, same claims, another issuer and keys");
    }

    @Test
    void aSystemInAnotherPartysGroupIsRefused() {
        HttpResponse<String> me = api("/api/me", Keycloak.systemToken("servicer-rogue", "it-secret"));

        assertEquals(403, me.statusCode(), me.body());
        assertTrue(Json.parse(me.body()).path("detail").asText().contains("is not one of its clients"), me.body());
    }

    static Stream<DemoSystem> demoSystems() {
        return DemoRealm.load().systems().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demoSystems")
    void eachPartysSystemIsAnsweredAsThatParty(DemoSystem system) {
        HttpResponse<String> me = api("/api/me", Keycloak.systemToken(system.clientId(), system.secret()));

        assertEquals(200, me.statusCode(), me.body());
        JsonNode principal = Json.parse(me.body());
        assertEquals(system.party(), principal.get("party").asText());
        assertEquals("system", principal.get("kind").asText());
        assertEquals(system.clientId(), principal.get("name").asText());
    }

    @Test
    void aUserTokenIsAnsweredAsTheUsersParty() {
        DemoRealm.DemoUser user = DemoRealm.load().users().get(0);

        HttpResponse<String> me = api("/api/me", Keycloak.userToken(user.username(), user.password()));

        assertEquals(200, me.statusCode(), me.body());
        assertEquals(user.party(), Json.parse(me.body()).get("party").asText());
        assertEquals("user", Json.parse(me.body()).get("kind").asText());
    }

    @Test
    void noTokenIs401() {
        assertEquals(401, web.get(TestStack.portalUrl() + "/api/me").statusCode());
        assertEquals(401, web.get(TestStack.portalUrl() + "/api/node").statusCode());
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() throws Exception {
        String genuine = someSystemToken();
        JwtClaims claims = claimsOf(genuine);
        KeyPair foreign = rsaKeyPair();
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(claims.toJson());
        forged.setKey(foreign.getPrivate());
        // Same key id as the realm's key: the server must check the signature, not just find a key.
        forged.setKeyIdHeaderValue(JsonWebStructure.fromCompactSerialization(genuine).getKeyIdHeaderValue());
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);

        HttpResponse<String> me = api("/api/me", forged.getCompactSerialization());

        assertEquals(401, me.statusCode(), me.body());
    }

    @Test
    void anUnsignedTokenIs401() throws Exception {
        JsonWebSignature unsigned = new JsonWebSignature();
        unsigned.setPayload(claimsOf(someSystemToken()).toJson());
        // jose4j writes "alg": "none" only when told it is on purpose.
        unsigned.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        unsigned.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);

        assertEquals(401, api("/api/me", unsigned.getCompactSerialization()).statusCode());
    }

    @Test
    void anExpiredTokenIs401() throws InterruptedException {
        String token = tokenThrough(SHORT_LIVED_CLIENT);
        assertEquals(200, api("/api/me", token).statusCode(), "accepted while it is valid");

        Thread.sleep(4_000);

        assertEquals(401, api("/api/me", token).statusCode(), "refused once it expired");
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        assertEquals(200, api("/api/me", tokenThrough(Keycloak.TEST_CLIENT)).statusCode(), "the API's audience");
        assertEquals(401, api("/api/me", tokenThrough(NO_AUDIENCE_CLIENT)).statusCode(), "another audience");
    }

    @Test
    void aTokenWithoutTheNeededRoleIs403() {
        DemoSystem system = DemoRealm.load().systems().get(0);
        HttpResponse<String> node = api("/api/node", Keycloak.systemToken(system.clientId(), system.secret()));
        assertEquals(403, node.statusCode(), "the node's details are for party administrators: " + node.body());
        assertTrue(Json.parse(node.body()).path("detail").asText().contains("roles"), node.body());

        HttpResponse<String> me = api("/api/me", Keycloak.userToken("rita.noroles", "it-password"));
        assertEquals(403, me.statusCode(), "a user of a party without any MeshLedger role: " + me.body());
    }

    @Test
    void aPartyAdministratorSeesTheNode() {
        DemoRealm.DemoUser admin = DemoRealm.load().users().stream()
                .filter(user -> user.roles().contains("party-admin")).findFirst().orElseThrow();

        HttpResponse<String> node = api("/api/node", Keycloak.userToken(admin.username(), admin.password()));

        assertEquals(200, node.statusCode(), node.body());
        assertTrue(Json.parse(node.body()).get("nodeId").asText().matches("[0-9a-f-]{36}"), node.body());
    }

    @Test
    void aTokenThatMapsToNoPartyIs403WithTheReason() {
        HttpResponse<String> me = api("/api/me", Keycloak.userToken("oscar.outsider", "it-password"));

        assertEquals(403, me.statusCode());
        assertTrue(Json.parse(me.body()).path("detail").asText().contains("'oscar.outsider' belongs to no party"),
                me.body());
    }

    /** The sign-in session a token belongs to (read, not verified: the test's own token). */
    private static String sessionOf(String token) throws Exception {
        return new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                .setSkipSignatureVerification().build().processToClaims(token).getStringClaimValue("sid");
    }

    /** A demo user's token, issued to the given client. */
    private static String tokenThrough(String clientId) {
        Keycloak.ensureTestClient();
        DemoRealm.DemoUser user = DemoRealm.load().users().get(0);
        String secret = clientId.equals(Keycloak.TEST_CLIENT) ? Keycloak.TEST_CLIENT_SECRET : "it-secret";
        return Keycloak.accessToken(Map.of("grant_type", "password", "client_id", clientId, "client_secret", secret,
                "username", user.username(), "password", user.password()));
    }

    private HttpResponse<String> api(String path, String token) {
        return web.get(TestStack.portalUrl() + path, token);
    }

    private static String someSystemToken() {
        DemoSystem system = DemoRealm.load().systems().get(0);
        return Keycloak.systemToken(system.clientId(), system.secret());
    }

    private static JwtClaims claimsOf(String token) throws InvalidJwtException {
        return new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(token);
    }

    private static KeyPair rsaKeyPair() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
