package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshledger.stack.DemoRealm;
import org.meshledger.stack.DemoRealm.DemoUser;
import org.meshledger.stack.KeycloakServer;

/** Every demo user signs into the portal through Keycloak and sees their own party. */
@MeshLedgerIT
class PortalSignInIT {

    static Stream<DemoUser> demoUsers() {
        return DemoRealm.load().users().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demoUsers")
    void aDemoUserSignsInAndSeesTheirParty(DemoUser user) {
        PortalBrowser browser = new PortalBrowser();

        HttpResponse<String> home = browser.signIn(user.username(), user.password());

        assertEquals(200, home.statusCode(), home.body());
        assertTrue(home.uri().getPath().endsWith(PortalBrowser.HOME), "back on the page asked for: " + home.uri());
        assertEquals(user.username(), PortalBrowser.text(home, "principal-name"));
        assertEquals(user.party(), PortalBrowser.text(home, "principal-party"));
        assertEquals("user", PortalBrowser.text(home, "principal-kind"));
        assertEquals(user.roles().stream().sorted().toList(),
                List.of(PortalBrowser.text(home, "principal-roles").split(", ")));
    }

    @Test
    void signingOutEndsThePortalSessionAndTheKeycloakSession() {
        DemoUser user = DemoRealm.load().users().get(0);
        PortalBrowser browser = new PortalBrowser();
        browser.signIn(user.username(), user.password());

        HttpResponse<String> signOut = browser.signOut();

        assertEquals(302, signOut.statusCode());
        String endSession = WebClient.location(signOut);
        assertTrue(endSession.startsWith(Keycloak.realmUrl() + "/protocol/openid-connect/logout?id_token_hint="), endSession);
        HttpResponse<String> landing = browser.follow(signOut);
        assertEquals(200, landing.statusCode(), landing.body());
        assertTrue(landing.body().contains("One shared, trusted view of every loan"), "back on the landing page");

        HttpResponse<String> again = browser.openWithoutFollowing(PortalBrowser.HOME);
        assertEquals(302, again.statusCode(), "the portal session is gone");
        HttpResponse<String> keycloak = browser.follow(again);
        assertTrue(keycloak.body().contains("kc-form-login"), "and Keycloak asks for the password again");
    }

    @Test
    void aUserInNoPartyIsTurnedAwayWithTheReason() {
        Keycloak.createUser("nora.noparty", "it-password", List.of(), List.of("viewer"));

        HttpResponse<String> page = new PortalBrowser().signIn("nora.noparty", "it-password");

        assertEquals(403, page.statusCode());
        assertTrue(PortalBrowser.text(page, "error-message").contains("'nora.noparty' belongs to no party"),
                page.body());
    }

    @Test
    void aPartysOwnIdentityProviderBrokeredByKeycloakSignsItsUsersInAsThatPartysPrincipals() {
        String providerRealm = "home-owner-bank-idp";
        String broker = Keycloak.baseUrl() + "/realms/" + KeycloakServer.REALM + "/broker/home-owner-bank/endpoint";
        Keycloak.createRealm(Map.of("realm", providerRealm, "enabled", true,
                "clients", List.of(Map.of("clientId", "mortgage-network-broker", "secret", "it-broker-secret",
                        "publicClient", false, "standardFlowEnabled", true, "redirectUris", List.of(broker))),
                "users", List.of(Map.of("username", "hanna.brokered", "enabled", true,
                        "email", "hanna.brokered@bank.example", "emailVerified", true, "firstName", "Hanna",
                        "lastName", "Brokered", "credentials", List.of(Map.of("type", "password",
                                "value", "it-password", "temporary", false))))));
        Keycloak.brokerPartyProvider("home-owner-bank", providerRealm, "mortgage-network-broker", "it-broker-secret",
                "home-owner", List.of("viewer"));

        HttpResponse<String> home = new PortalBrowser().signInThrough("home-owner-bank", "hanna.brokered", "it-password");

        assertEquals(200, home.statusCode(), home.body());
        assertEquals("home-owner", PortalBrowser.text(home, "principal-party"), "the party the broker put her in");
        assertEquals("user", PortalBrowser.text(home, "principal-kind"));
        assertEquals(List.of("viewer"), List.of(PortalBrowser.text(home, "principal-roles").split(", ")));
    }
}
