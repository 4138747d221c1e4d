package org.meshledger.connect.salesforce;

import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.ConnectorProvider;

/**
 * The {@code salesforce} kind, on camel-salesforce. Settings: {@code loginUrl}, {@code clientId},
 * {@code clientSecret} (a connected app; add {@code userName} and {@code password} for the
 * username-password flow), optional {@code apiVersion}, {@code initialReplayId}, {@code timeoutMs},
 * {@code instanceHosts} (the hosts a login may name as the instance besides the login URL's; by
 * default the real service's, see {@link InstancePin}).
 * Each mapping's object is an sObject type ({@code Payment__c}); its key field is an external id
 * field; inbound mappings follow the object's Change Data Capture channel.
 */
public final class SalesforceProvider implements ConnectorProvider {

    @Override
    public String kind() {
        return "salesforce";
    }

    @Override
    public Connector create(ConnectorContext context) {
        return new SalesforceConnector(context);
    }
}
