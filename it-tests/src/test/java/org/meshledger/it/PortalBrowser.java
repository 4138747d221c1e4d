package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A person at the portal: opens it, is sent to Keycloak's sign-in page, fills it in, and comes back
 * signed in (the OpenID Connect authorization-code flow, hop by hop, as a browser does it).
 */
final class PortalBrowser {

    static final String HOME = "/portal/index.xhtml";

    private final WebClient web = new WebClient();

    /** Signs in and returns the portal page the user lands on. */
    HttpResponse<String> signIn(String username, String password) {
        HttpResponse<String> toKeycloak = web.get(TestStack.portalUrl() + HOME);
        assertEquals(302, toKeycloak.statusCode(), "an anonymous visitor is sent to sign in");
        assertTrue(WebClient.location(toKeycloak).startsWith(Keycloak.realmUrl() + "/protocol/openid-connect/auth"),
                WebClient.location(toKeycloak));

        HttpResponse<String> loginPage = web.follow(toKeycloak);
        assertEquals(200, loginPage.statusCode(), "Keycloak shows its sign-in page");
        Document page = Jsoup.parse(loginPage.body(), loginPage.uri().toString());
        Element form = page.getElementById("kc-form-login");
        assertNotNull(form, "the sign-in form: " + loginPage.body());

        HttpResponse<String> back = web.postForm(form.absUrl("action"),
                Map.of("username", username, "password", password, "credentialId", ""));
        assertEquals(302, back.statusCode(), () -> "Keycloak accepted " + username + ": " + back.body());
        return web.follow(back);
    }

    /**
     * Signs in through an identity provider that Keycloak brokers (the party's own): picks it on
     * Keycloak's sign-in page, signs in at that provider, and comes back through Keycloak.
     */
    HttpResponse<String> signInThrough(String identityProvider, String username, String password) {
        HttpResponse<String> loginPage = web.follow(web.get(TestStack.portalUrl() + HOME));
        Element choice = Jsoup.parse(loginPage.body(), loginPage.uri().toString())
                .getElementById("social-" + identityProvider);
        assertNotNull(choice, "Keycloak offers " + identityProvider + ": " + loginPage.body());
        HttpResponse<String> providerPage = web.follow(web.get(choice.absUrl("href")));
        Element form = Jsoup.parse(providerPage.body(), providerPage.uri().toString()).getElementById("kc-form-login");
        assertNotNull(form, "the party's provider shows its sign-in form: " + providerPage.body());
        HttpResponse<String> back = web.postForm(form.absUrl("action"),
                Map.of("username", username, "password", password, "credentialId", ""));
        assertEquals(302, back.statusCode(), () -> "the party's provider accepted " + username + ": " + back.body());
        return web.follow(back);
    }

    HttpResponse<String> open(String path) {
        return web.follow(web.get(TestStack.portalUrl() + path));
    }

    HttpResponse<String> openWithoutFollowing(String path) {
        return web.get(TestStack.portalUrl() + path);
    }

    /** Signs out; returns the first answer (a redirect to Keycloak's end-session endpoint). */
    HttpResponse<String> signOut() {
        return web.postForm(TestStack.portalUrl() + "/portal/sign-out", Map.of());
    }

    HttpResponse<String> follow(HttpResponse<String> response) {
        return web.follow(response);
    }

    /** The text of the element with that id in a page. */
    static String text(HttpResponse<String> page, String id) {
        Element element = Jsoup.parse(page.body()).getElementById(id);
        assertNotNull(element, () -> "no #" + id + " in " + page.uri() + ": " + page.body());
        return element.text();
    }
}
