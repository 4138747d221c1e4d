package org.meshledger.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class IdentityProviderSettingsTest {

    @Test
    void readsEveryKeyAndToleratesATrailingSlash() {
        Map<String, String> config = Map.of(
                "meshledger.oidc.provider-url", "https://id.example.com/realms/network/",
                "meshledger.oidc.portal-client-id", "portal",
                "meshledger.oidc.portal-client-secret", "s3cret",
                "meshledger.oidc.api-client-id", "api",
                "meshledger.oidc.ssl-required", "all");

        IdentityProviderSettings settings = IdentityProviderSettings.from(config::get);

        assertEquals("https://id.example.com/realms/network", settings.providerUrl().toString());
        assertEquals("portal", settings.portalClientId());
        assertEquals("s3cret", settings.portalClientSecret());
        assertEquals("api", settings.apiClientId());
        assertEquals("all", settings.sslRequired());
    }
}
