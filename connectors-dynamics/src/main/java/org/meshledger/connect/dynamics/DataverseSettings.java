package org.meshledger.connect.dynamics;

import java.time.Duration;

import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorSettings;

/**
 * Where a Dataverse environment is and how to sign in to it (an application user's client
 * credentials), from the connector's settings.
 *
 * @param url the environment, e.g. {@code https://contoso.crm.dynamics.com}
 * @param tokenUrl the identity provider's token endpoint, e.g.
 *        {@code https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token}
 */
record DataverseSettings(String url, String tokenUrl, String clientId, String clientSecret, String scope,
        String apiVersion, Duration pollInterval, int pageSize, Duration timeout, Duration maxThrottleWait) {

    static DataverseSettings of(ConnectorSettings s) {
        String url = s.string("url").replaceAll("/+$", "");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw s.error("url", "must be the environment's URL, e.g. https://contoso.crm.dynamics.com");
        }
        int pageSize = s.integer("pageSize", 500);
        if (pageSize < 1 || pageSize > 5000) {
            throw s.error("pageSize", "must be between 1 and 5000 (Dataverse's largest page)");
        }
        DataverseSettings settings = new DataverseSettings(url, s.string("tokenUrl"), s.string("clientId"),
                s.string("clientSecret"), s.string("scope", url + "/.default"), s.string("apiVersion", "9.2"),
                s.millis("pollMs", Duration.ofSeconds(5)), pageSize, s.millis("timeoutMs", Duration.ofSeconds(30)),
                s.millis("maxThrottleWaitMs", Duration.ofSeconds(60)));
        if (settings.pollInterval().toMillis() < 10) {
            throw new ConnectorConfigException(s.where("pollMs") + " must be at least 10");
        }
        return settings;
    }

    /** The Web API's root, ending in a slash. */
    String api() {
        return url + "/api/data/v" + apiVersion + "/";
    }
}
