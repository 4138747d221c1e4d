package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.stack.DemoRealm;

/**
 * Calls every entry point of the provisioned server, so that a Galleon layer missing from the
 * provisioning (which deploys "successfully" and serves nothing) fails here.
 */
@MeshLedgerIT
class SmokeIT {

    private final WebClient web = new WebClient();

    @Test
    void readinessReportsTheDatabaseAndKeycloakUp() {
        HttpResponse<String> ready = web.get(TestStack.managementUrl() + "/health/ready");

        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode health = Json.parse(ready.body());
        assertEquals("UP", health.get("status").asText());
        assertEquals("UP", check(health, "database").get("status").asText());
        assertEquals(String.valueOf(Migrations.packaged()),
                check(health, "database").get("data").get("schemaVersion").asText(), "the database is at the latest migration");
        assertEquals("UP", check(health, "keycloak").get("status").asText());
    }

    @Test
    void livenessAndMetricsAnswer() {
        assertEquals(200, web.get(TestStack.managementUrl() + "/health/live").statusCode());
        HttpResponse<String> metrics = web.get(TestStack.managementUrl() + "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("base_memory_usedHeap_bytes") || metrics.body().contains("memory"),
                "metrics in the Prometheus format: " + metrics.body().lines().limit(5).toList());
    }

    @Test
    void theLandingPageIsRenderedByFaces() {
        HttpResponse<String> landing = web.get(TestStack.portalUrl() + "/");

        assertEquals(200, landing.statusCode());
        assertTrue(landing.body().contains("One shared, trusted view of every loan"), landing.body());
        assertTrue(landing.body().contains("href=\"/portal/index.xhtml\""), "h:link was rendered: " + landing.body());
        assertTrue(landing.body().matches("(?s).*MeshLedger \\d+\\.\\d+\\.\\d+.*"), "the version is shown");
        assertFalse(landing.body().contains("#{"), "no unevaluated expression");
        assertEquals(200, web.get(TestStack.portalUrl() + "/jakarta.faces.resource/css/meshledger.css.xhtml").statusCode(),
                "Faces serves the page's resources");
    }

    @Test
    void theRestApiAnswersWithABearerTokenOnly() {
        HttpResponse<String> anonymous = web.get(TestStack.portalUrl() + "/api/me");
        assertEquals(401, anonymous.statusCode(), "no token, no answer; and no sign-in redirect for an API");
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        DemoRealm.DemoSystem system = DemoRealm.load().systems().get(0);
        HttpResponse<String> me = web.get(TestStack.portalUrl() + "/api/me",
                Keycloak.systemToken(system.clientId(), system.secret()));
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(system.party(), Json.parse(me.body()).get("party").asText());
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        HttpResponse<String> document = web.get(TestStack.portalUrl() + "/openapi?format=JSON");
        assertEquals(200, document.statusCode(), document.body());
        JsonNode openapi = Json.parse(document.body());
        assertTrue(openapi.path("openapi").asText().startsWith("3."), openapi.path("openapi").toString());
        assertEquals("MeshLedger API", openapi.at("/info/title").asText());
        java.util.List<String> paths = new java.util.ArrayList<>();
        openapi.path("paths").fieldNames().forEachRemaining(paths::add);
        for (String resource : java.util.List.of("/transactions", "/records/{type}/{id}", "/ledger/digest", "/network")) {
            assertTrue(paths.stream().anyMatch(p -> p.endsWith(resource)), resource + " in " + paths);
        }
        assertTrue(openapi.at("/paths").toString().contains("post"), "the submit operation is described");
    }

    @Test
    void thePortalSendsAnonymousVisitorsToSignIn() {
        HttpResponse<String> portal = web.get(TestStack.portalUrl() + "/portal/index.xhtml");

        assertEquals(302, portal.statusCode());
        String location = WebClient.location(portal);
        assertTrue(location.startsWith(Keycloak.realmUrl() + "/protocol/openid-connect/auth"), location);
        assertTrue(location.contains("client_id=meshledger-portal"), location);
    }

    @Test
    void anUnknownPageIsAPlain404() {
        HttpResponse<String> missing = web.get(TestStack.portalUrl() + "/no-such-page.xhtml");

        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("There is no page at this address."), missing.body());
        assertFalse(missing.body().contains("Exception"), "no stack trace: " + missing.body());

        HttpResponse<String> unknownApi = web.get(TestStack.portalUrl() + "/api/no-such-resource",
                Keycloak.systemToken(DemoRealm.load().systems().get(0).clientId(),
                        DemoRealm.load().systems().get(0).secret()));
        assertEquals(404, unknownApi.statusCode());
        assertEquals(404, Json.parse(unknownApi.body()).get("status").asInt(), unknownApi.body());
    }

    static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (name.equals(check.get("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no health check '" + name + "' in " + health);
    }
}
