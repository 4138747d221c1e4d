package org.meshledger.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The demo's published credentials are for the local stack only. */
class DemoCredentialsTest {

    private static IdentityProviderSettings identity(String url, String secret) {
        return new IdentityProviderSettings(URI.create(url), "meshledger-portal", secret, "meshledger-api", "external");
    }

    @Test
    void onLoopbackTheDemoCredentialsAreTheLocalStacks() {
        assertEquals(List.of(), DemoCredentials.misused(identity("http://127.0.0.1:8180/realms/r",
                DemoCredentials.PORTAL_CLIENT_SECRET), Map.of("MESHLEDGER_DB_URL", "jdbc:postgresql://localhost:15432/m")));
        assertEquals(List.of(), DemoCredentials.misused(identity("http://[::1]:8180/realms/r",
                DemoCredentials.PORTAL_CLIENT_SECRET), Map.of()));
    }

    @Test
    void elsewhereEachDemoCredentialIsNamed() {
        List<String> misused = DemoCredentials.misused(identity("https://sso.bank.example/realms/r",
                DemoCredentials.PORTAL_CLIENT_SECRET), Map.of("MESHLEDGER_DB_URL", "jdbc:postgresql://db.bank.example:5432/m"));
        assertEquals(2, misused.size(), misused.toString());
        assertTrue(misused.get(0).startsWith("MESHLEDGER_OIDC_PORTAL_CLIENT_SECRET"), misused.get(0));
        assertTrue(misused.get(1).startsWith("MESHLEDGER_DB_PASSWORD"), misused.get(1));
    }

    @Test
    void ownCredentialsElsewhereAreFine() {
        assertEquals(List.of(), DemoCredentials.misused(identity("https://sso.bank.example/realms/r", "s3cret"),
                Map.of("MESHLEDGER_DB_URL", "jdbc:postgresql://10.0.0.5:5432/m", "MESHLEDGER_DB_PASSWORD", "p")));
    }

    @Test
    void hostsAreReadWithoutLookingNamesUp() {
        assertEquals("db.bank.example", DemoCredentials.databaseHost("jdbc:postgresql://db.bank.example:5432/m"));
        assertTrue(DemoCredentials.loopback("127.0.0.2"));
        assertTrue(!DemoCredentials.loopback("10.0.0.5"));
        assertTrue(!DemoCredentials.loopback("localhost.bank.example"));
    }
}
