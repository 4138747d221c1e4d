package org.meshledger.persistence.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the identity provider (Keycloak) serves the realm's OpenID Connect discovery document:
 * without it nobody can sign in and no token can be checked. DOWN with the reason otherwise.
 */
@Readiness
@ApplicationScoped
public class IdentityProviderReadinessCheck implements HealthCheck {

    /** The MicroProfile Config key of the provider's issuer URL (MESHLEDGER_OIDC_PROVIDER_URL). */
    public static final String PROVIDER_URL = "meshledger.oidc.provider-url";

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Override
    public HealthCheckResponse call() {
        String provider = ConfigProvider.getConfig().getValue(PROVIDER_URL, String.class);
        URI discovery = URI.create(provider.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        HealthCheckResponseBuilder response = HealthCheckResponse.named("keycloak").withData("provider", provider);
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 200) {
                return response.up().build();
            }
            return response.down().withData("reason", "the identity provider answered HTTP " + answer.statusCode()
                    + " for " + discovery + "; check the realm in MESHLEDGER_OIDC_PROVIDER_URL").build();
        } catch (HttpTimeoutException e) {
            return response.down().withData("reason", "the identity provider did not answer within "
                    + TIMEOUT.toSeconds() + " s; check MESHLEDGER_OIDC_PROVIDER_URL").build();
        } catch (IOException e) {
            return response.down().withData("reason", "cannot reach the identity provider (" + rootCause(e)
                    + "); check that Keycloak is running and that MESHLEDGER_OIDC_PROVIDER_URL points at it").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("reason", "interrupted while asking the identity provider").build();
        }
    }

    private static String rootCause(IOException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
