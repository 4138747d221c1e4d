package org.meshledger.ledger.identity;

import java.net.URI;
import java.util.function.Function;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the node's users and systems authenticate (an OpenID Connect provider: Keycloak). Read
 * through MicroProfile Config, so each value comes from an environment variable when set; the
 * defaults, those of the local stack, are in the EAR library's
 * {@code META-INF/microprofile-config.properties}.
 *
 * @param providerUrl the realm's issuer URL ({@code MESHLEDGER_OIDC_PROVIDER_URL})
 * @param portalClientId the portal's confidential client ({@code MESHLEDGER_OIDC_PORTAL_CLIENT_ID})
 * @param portalClientSecret its secret ({@code MESHLEDGER_OIDC_PORTAL_CLIENT_SECRET})
 * @param apiClientId the REST API's bearer-only client, the audience API tokens must carry
 *        ({@code MESHLEDGER_OIDC_API_CLIENT_ID})
 * @param sslRequired {@code external}, {@code all} or {@code none} ({@code MESHLEDGER_OIDC_SSL_REQUIRED})
 */
public record IdentityProviderSettings(URI providerUrl, String portalClientId, String portalClientSecret,
        String apiClientId, String sslRequired) {

    public static IdentityProviderSettings fromConfig() {
        return from(key -> ConfigProvider.getConfig().getValue(key, String.class));
    }

    static IdentityProviderSettings from(Function<String, String> config) {
        return new IdentityProviderSettings(
                URI.create(config.apply("meshledger.oidc.provider-url").replaceAll("/+$", "")),
                config.apply("meshledger.oidc.portal-client-id"),
                config.apply("meshledger.oidc.portal-client-secret"),
                config.apply("meshledger.oidc.api-client-id"),
                config.apply("meshledger.oidc.ssl-required"));
    }
}
