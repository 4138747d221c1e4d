package org.meshledger.connect.salesforce;

import java.time.Duration;

import org.meshledger.connect.spi.ConnectorSettings;

/**
 * How to reach a Salesforce org: the login URL and a connected app's credentials (client
 * credentials flow, or username-password with {@code userName} and {@code password}).
 *
 * @param initialReplayId where a new subscription starts: -1 new events only, -2 every retained one
 */
record SalesforceSettings(String loginUrl, String clientId, String clientSecret, String userName, String password,
        String apiVersion, long initialReplayId, Duration timeout) {

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
        return new SalesforceSettings(loginUrl, s.string("clientId"), s.string("clientSecret"), user, password,
                version, replay, s.millis("timeoutMs", Duration.ofSeconds(30)));
    }
}
