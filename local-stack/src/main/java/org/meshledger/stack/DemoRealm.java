package org.meshledger.stack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The demo realm's people and systems, read from the realm file itself, so that what the launcher
 * prints and what the tests sign in with is what Keycloak imports.
 */
public final class DemoRealm {

    /** A person who signs into the portal. */
    public record DemoUser(String username, String password, String party, List<String> roles) {
    }

    /** A party's system, with its client-credentials client. */
    public record DemoSystem(String clientId, String secret, String party, List<String> roles) {
    }

    private final List<DemoUser> users = new ArrayList<>();
    private final List<DemoSystem> systems = new ArrayList<>();

    private DemoRealm(JsonNode realm) {
        for (JsonNode user : realm.path("users")) {
            String party = partyOf(user);
            List<String> roles = texts(user.path("realmRoles"));
            if (user.hasNonNull("serviceAccountClientId")) {
                String clientId = user.get("serviceAccountClientId").asText();
                systems.add(new DemoSystem(clientId, secretOf(realm, clientId), party, roles));
            } else {
                String password = user.path("credentials").path(0).path("value").asText();
                users.add(new DemoUser(user.get("username").asText(), password, party, roles));
            }
        }
    }

    public static DemoRealm load() {
        try (InputStream in = DemoRealm.class.getResourceAsStream(KeycloakServer.REALM_RESOURCE)) {
            return new DemoRealm(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new StackException("Cannot read the demo realm: " + e.getMessage(), e);
        }
    }

    public List<DemoUser> users() {
        return List.copyOf(users);
    }

    public List<DemoSystem> systems() {
        return List.copyOf(systems);
    }

    private static String partyOf(JsonNode user) {
        for (JsonNode group : user.path("groups")) {
            String path = group.asText();
            if (path.startsWith("/parties/")) {
                return path.substring("/parties/".length());
            }
        }
        return null;
    }

    private static String secretOf(JsonNode realm, String clientId) {
        for (JsonNode client : realm.path("clients")) {
            if (clientId.equals(client.path("clientId").asText())) {
                return Placeholders.defaultOf(client.path("secret").asText());
            }
        }
        return null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
