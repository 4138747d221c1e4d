package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.stack.KeycloakServer;

/**
 * The suite's Keycloak, as the tests use it: tokens for the demo realm's systems and users, and the
 * admin API to add what a test needs (a user in no party, a client with odd settings).
 */
final class Keycloak {

    /** A client the tests create to get user tokens by password (the realm's portal client does not allow that). */
    static final String TEST_CLIENT = "it-password-grant";
    static final String TEST_CLIENT_SECRET = "it-secret";

    private static final WebClient HTTP = new WebClient();

    private Keycloak() {
    }

    static String realmUrl() {
        return TestStack.keycloak().realmUrl();
    }

    static String tokenUrl() {
        return realmUrl() + "/protocol/openid-connect/token";
    }

    /** A client-credentials access token. */
    static String systemToken(String clientId, String secret) {
        return accessToken(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** A user's access token through the tests' password-grant client. */
    static String userToken(String username, String password) {
        ensureTestClient();
        return accessToken(Map.of("grant_type", "password", "client_id", TEST_CLIENT, "client_secret",
                TEST_CLIENT_SECRET, "username", username, "password", password, "scope", "openid"));
    }

    static String accessToken(Map<String, String> form) {
        return accessToken(tokenUrl(), form);
    }

    static String accessToken(String tokenUrl, Map<String, String> form) {
        HttpResponse<String> answer = HTTP.postForm(tokenUrl, form);
        assertEquals(200, answer.statusCode(), () -> "token request failed: " + answer.body());
        return Json.parse(answer.body()).get("access_token").asText();
    }

    /** Creates (once) the tests' password-grant client, with the same mappers as the realm's clients. */
    static synchronized void ensureTestClient() {
        if (clientExists(TEST_CLIENT)) {
            return;
        }
        createClient(TEST_CLIENT, TEST_CLIENT_SECRET, Map.of(), true);
    }

    /**
     * Creates a confidential client with the party-group, record-link and API-audience mappers.
     *
     * @param attributes client attributes, e.g. {@code access.token.lifespan}
     * @param apiAudience whether its tokens name the REST API as audience
     */
    static void createClient(String clientId, String secret, Map<String, String> attributes, boolean apiAudience) {
        Map<String, Object> groups = Map.of("name", "party groups", "protocol", "openid-connect",
                "protocolMapper", "oidc-group-membership-mapper",
                "config", Map.of("full.path", "true", "claim.name", "groups", "access.token.claim", "true"));
        Map<String, Object> audience = Map.of("name", "api audience", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.client.audience", "meshledger-api", "access.token.claim", "true"));
        Map<String, Object> link = Map.of("name", "meshledger record link", "protocol", "openid-connect",
                "protocolMapper", "oidc-usermodel-attribute-mapper",
                "config", Map.of("user.attribute", "meshledger_link", "claim.name", "meshledger_link",
                        "jsonType.label", "String", "access.token.claim", "true"));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("secret", secret);
        client.put("publicClient", false);
        client.put("directAccessGrantsEnabled", true);
        client.put("serviceAccountsEnabled", false);
        client.put("standardFlowEnabled", false);
        Map<String, String> withLogout = new LinkedHashMap<>(attributes);
        // As the realm's portal client: the node hears of ended sessions and refuses their tokens.
        withLogout.put("backchannel.logout.url", TestStack.portalUrl() + "/oidc/backchannel-logout");
        withLogout.put("backchannel.logout.session.required", "true");
        client.put("attributes", withLogout);
        client.put("protocolMappers", apiAudience ? List.of(groups, audience, link) : List.of(groups, link));
        admin("POST", "/clients", client, 201);
    }

    /** Creates a user with a password, in the given groups (full paths) and realm roles. */
    static void createUser(String username, String password, List<String> groups, List<String> roles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@it.meshledger.org");
        user.put("emailVerified", true);
        user.put("firstName", "Test");
        user.put("lastName", username);
        user.put("groups", groups);
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        admin("POST", "/users", user, 201);
        if (!roles.isEmpty()) {
            String id = Json.parse(admin("GET", "/users?exact=true&username=" + username, null, 200)).get(0).get("id")
                    .asText();
            List<JsonNode> representations = roles.stream()
                    .map(role -> Json.parse(admin("GET", "/roles/" + role, null, 200)))
                    .toList();
            admin("POST", "/users/" + id + "/role-mappings/realm", representations, 204);
        }
    }

    private static boolean clientExists(String clientId) {
        return Json.parse(admin("GET", "/clients?clientId=" + clientId, null, 200)).size() > 0;
    }

    static String userId(String username) {
        return Json.parse(admin("GET", "/users?exact=true&username=" + username, null, 200)).get(0).get("id").asText();
    }

    /** Ends every sign-in session of the user, as an administrator would (back-channel logout follows). */
    static void endSessions(String username) {
        admin("POST", "/users/" + userId(username) + "/logout", null, 204);
    }

    /**
     * Creates a client-credentials client whose service account is in the given party group (full
     * path) with the given realm roles, with the party-group and API-audience mappers.
     */
    static void createSystemClient(String clientId, String secret, String group, List<String> roles) {
        createClient(clientId, secret, Map.of(), true);
        JsonNode client = Json.parse(admin("GET", "/clients?clientId=" + clientId, null, 200)).get(0);
        String internalId = client.get("id").asText();
        ((com.fasterxml.jackson.databind.node.ObjectNode) client).put("serviceAccountsEnabled", true);
        admin("PUT", "/clients/" + internalId, client, 204);
        String account = Json.parse(admin("GET", "/clients/" + internalId + "/service-account-user", null, 200))
                .get("id").asText();
        String groupId = Json.parse(admin("GET", "/group-by-path" + group, null, 200)).get("id").asText();
        admin("PUT", "/users/" + account + "/groups/" + groupId, null, 204);
        List<JsonNode> representations = roles.stream()
                .map(role -> Json.parse(admin("GET", "/roles/" + role, null, 200))).toList();
        admin("POST", "/users/" + account + "/role-mappings/realm", representations, 204);
    }

    /**
     * Lets a party sign its users in with its own OpenID Connect provider (here another realm on the
     * same Keycloak): the network's realm brokers it, and puts the users it brings into the party's
     * group with the given roles, so that they become principals of that party like any other.
     */
    static void brokerPartyProvider(String alias, String providerRealm, String clientId, String secret, String party,
            List<String> roles) {
        String provider = baseUrl() + "/realms/" + providerRealm + "/protocol/openid-connect";
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("issuer", baseUrl() + "/realms/" + providerRealm);
        config.put("authorizationUrl", provider + "/auth");
        config.put("tokenUrl", provider + "/token");
        config.put("jwksUrl", provider + "/certs");
        config.put("useJwksUrl", "true");
        config.put("validateSignature", "true");
        config.put("clientId", clientId);
        config.put("clientSecret", secret);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("defaultScope", "openid profile email");
        config.put("syncMode", "FORCE");
        admin("POST", "/identity-provider/instances", Map.of("alias", alias, "providerId", "oidc", "enabled", true,
                "trustEmail", true, "config", config), 201);
        admin("POST", "/identity-provider/instances/" + alias + "/mappers", Map.of("name", "party group",
                "identityProviderAlias", alias, "identityProviderMapper", "oidc-hardcoded-group-idp-mapper",
                "config", Map.of("group", "/parties/" + party, "syncMode", "FORCE")), 201);
        for (String role : roles) {
            admin("POST", "/identity-provider/instances/" + alias + "/mappers", Map.of("name", "role " + role,
                    "identityProviderAlias", alias, "identityProviderMapper", "oidc-hardcoded-role-idp-mapper",
                    "config", Map.of("role", role, "syncMode", "FORCE")), 201);
        }
    }

    /** Imports a whole realm (another identity provider, as far as MeshLedger is concerned). */
    static void createRealm(Map<String, Object> realm) {
        adminRoot("POST", "/admin/realms", realm, 201);
    }

    static String baseUrl() {
        return TestStack.keycloak().baseUrl();
    }

    private static String admin(String method, String path, Object body, int expectedStatus) {
        return adminRoot(method, "/admin/realms/" + KeycloakServer.REALM + path, body, expectedStatus);
    }

    private static String adminRoot(String method, String path, Object body, int expectedStatus) {
        String adminToken = accessToken(TestStack.keycloak().baseUrl() + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", KeycloakServer.DEMO_ADMIN_USER,
                        "password", KeycloakServer.DEMO_ADMIN_PASSWORD));
        String url = TestStack.keycloak().baseUrl() + path;
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body))));
        assertEquals(expectedStatus, answer.statusCode(), () -> method + " " + path + ": " + answer.body());
        return answer.body();
    }
}
