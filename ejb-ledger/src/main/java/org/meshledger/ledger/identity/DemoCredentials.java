package org.meshledger.ledger.identity;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credentials the demo ships with, published in its sources: a node that talks to anything but
 * its own machine (an identity provider or a database elsewhere) must not use them, so it refuses to
 * start with them and names each one to change. On loopback they are the local stack's, and allowed.
 */
public final class DemoCredentials {

    /** The portal client's secret in the demo realm and the node's defaults. */
    public static final String PORTAL_CLIENT_SECRET = "demo-portal-secret-not-for-production";
    /** The datasource's default password (the server configuration's, and the local stack's role). */
    public static final String DATABASE_PASSWORD = "meshledger";

    private DemoCredentials() {
    }

    /**
     * The demo credentials in use where they must not be, each as the setting to change.
     *
     * @param environment the node's environment variables (the datasource reads its URL and password there)
     */
    public static List<String> misused(IdentityProviderSettings identity, Map<String, String> environment) {
        List<String> misused = new ArrayList<>();
        if (!loopback(identity.providerUrl().getHost()) && PORTAL_CLIENT_SECRET.equals(identity.portalClientSecret())) {
            misused.add("MESHLEDGER_OIDC_PORTAL_CLIENT_SECRET (the demo's, with the identity provider at "
                    + identity.providerUrl().getHost() + ")");
        }
        String database = environment.get("MESHLEDGER_DB_URL");
        String password = environment.getOrDefault("MESHLEDGER_DB_PASSWORD", DATABASE_PASSWORD);
        if (database != null && !loopback(databaseHost(database)) && DATABASE_PASSWORD.equals(password)) {
            misused.add("MESHLEDGER_DB_PASSWORD (the demo's, with the database at " + databaseHost(database) + ")");
        }
        return misused;
    }

    /** The host of a {@code jdbc:postgresql://host:port/db} URL, or "" when it names none. */
    static String databaseHost(String jdbcUrl) {
        String rest = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
        try {
            String host = URI.create(rest).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Whether a host name is this machine: localhost, 127.0.0.0/8, ::1 (no name lookup). */
    static boolean loopback(String host) {
        if (host == null || host.isEmpty() || host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false; // a name: not resolved here, so not taken for loopback
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
