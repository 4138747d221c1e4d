package org.meshledger.connect.salesforce;

import java.time.Duration;
import java.util.List;

import org.meshledger.connect.spi.ConnectorSettings;

/**
 * How to reach a Salesforce org: the login URL and a connected app's credentials (client
 * credentials flow, or username-password with {@code userName} and {@code password}).
 *
 * @param initialReplayId where a new subscription starts: -1 new events only, -2 every retained one
 * @param instanceHosts the hosts, besides the login URL's, that a login may name as the instance the
 *        session token goes to ({@link InstancePin}): {@code host}, {@code host:port}, or a suffix
 *        {@code .my.salesforce.com}; by default {@link InstancePin#DEFAULT_HOSTS}, the real service's
 */
record SalesforceSettings(String loginUrl, String clientId, String clientSecret, String userName, String password,
        String apiVersion, long initialReplayId, Duration timeout, List<String> instanceHosts) {

    static SalesforceSettings of(ConnectorSettings s) {
        String loginUrl = s.string("loginUrl").replaceAll("/+$", "");
        if (!loginUrl.startsWith("https://") && !loginUrl.startsWith("http://")) {
            throw s.error("loginUrl", "must be the org's login URL, e.g. https://login.salesforce.com");
        }
        String user = s.optional("userName").orElse(null);
        String password = s.optional("password").orElse(null);
        if ((user == null) != (password == null)) {
            throw s.error("password", "and userName go together (the username-password flow), or neither (client "
                    + "credentials)");
        }
        String version = s.string("apiVersion", "62.0");
        if (!version.matches("\\d{2}\\.0")) {
            throw s.error("apiVersion", "is a REST API version such as 62.0");
        }
        long replay = s.integer("initialReplayId", -1);
        if (replay != -1 && replay != -2) {
            throw s.error("initialReplayId", "is -1 (new events only) or -2 (every retained event)");
        }
        List<String> hosts = s.has("instanceHosts") ? s.strings("instanceHosts") : InstancePin.DEFAULT_HOSTS;
        for (String host : hosts) {
            if (!host.matches("\\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?")) {
                throw s.error("instanceHosts", "holds host names (contoso.my.salesforce.com), host:port, or suffixes "
                        + "starting with a dot (.my.salesforce.com), not '" + host + "'");
            }
        }
        try {
            if (java.net.URI.create(loginUrl).getHost() == null) {
                throw s.error("loginUrl", "must name a host, e.g. https://login.salesforce.com");
            }
        } catch (IllegalArgumentException e) {
            throw s.error("loginUrl", "is not a URL: " + e.getMessage());
        }
        return new SalesforceSettings(loginUrl, s.string("clientId"), s.string("clientSecret"), user, password,
                version, replay, s.millis("timeoutMs", Duration.ofSeconds(30)), List.copyOf(hosts));
    }
}
