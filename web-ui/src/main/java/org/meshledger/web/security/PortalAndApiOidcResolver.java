package org.meshledger.web.security;

import org.meshledger.ledger.identity.IdentityProviderSettings;
import org.wildfly.security.http.oidc.OidcClientConfiguration;
import org.wildfly.security.http.oidc.OidcClientConfigurationBuilder;
import org.wildfly.security.http.oidc.OidcClientConfigurationResolver;
import org.wildfly.security.http.oidc.OidcHttpFacade;
import org.wildfly.security.http.oidc.OidcJsonConfiguration;

/**
 * One WAR, two OIDC clients: the REST API under {@code /api} accepts bearer tokens only (no token
 * gives 401, never a sign-in redirect), the portal signs users in with the authorization-code flow.
 * WildFly asks this resolver (web.xml's {@code oidc.config.resolver}) which one a request is for.
 * Both are built from the settings ({@link IdentityProviderSettings}, environment first), so no
 * production secret is packaged.
 */
public class PortalAndApiOidcResolver implements OidcClientConfigurationResolver {

    private static final String API_PATH = "/api/";

    private volatile OidcClientConfiguration api;
    private volatile OidcClientConfiguration portal;

    @Override
    public OidcClientConfiguration resolve(OidcHttpFacade.Request request) {
        String path = request.getRelativePath();
        if (path != null && (path.startsWith(API_PATH) || path.equals("/api"))) {
            if (api == null) {
                api = OidcClientConfigurationBuilder.build(apiConfiguration(IdentityProviderSettings.fromConfig()));
            }
            return api;
        }
        if (portal == null) {
            portal = OidcClientConfigurationBuilder.build(portalConfiguration(IdentityProviderSettings.fromConfig()));
        }
        return portal;
    }

    static OidcJsonConfiguration apiConfiguration(IdentityProviderSettings settings) {
        OidcJsonConfiguration json = common(settings);
        json.setClientId(settings.apiClientId());
        json.setBearerOnly(true);
        // A token issued for another application must not open the API.
        json.setVerifyTokenAudience(true);
        return json;
    }

    static OidcJsonConfiguration portalConfiguration(IdentityProviderSettings settings) {
        OidcJsonConfiguration json = common(settings);
        json.setClientId(settings.portalClientId());
        json.getCredentials().put("secret", settings.portalClientSecret());
        json.setPkce(true);
        return json;
    }

    private static OidcJsonConfiguration common(IdentityProviderSettings settings) {
        OidcJsonConfiguration json = new OidcJsonConfiguration();
        json.setProviderUrl(settings.providerUrl().toString());
        json.setSslRequired(settings.sslRequired());
        json.setPrincipalAttribute("preferred_username");
        json.setUseRealmRoleMappings(true);
        return json;
    }
}
