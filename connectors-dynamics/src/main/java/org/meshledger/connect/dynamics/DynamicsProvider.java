package org.meshledger.connect.dynamics;

import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.ConnectorProvider;

/**
 * The {@code dynamics} kind: Microsoft Dynamics 365 / Dataverse through its Web API. Settings:
 * {@code url} (the environment), {@code tokenUrl}, {@code clientId}, {@code clientSecret}
 * (client credentials of an application user), optional {@code scope}, {@code apiVersion},
 * {@code pollMs}, {@code pageSize}, {@code timeoutMs}, {@code maxThrottleWaitMs}. Each mapping's
 * object is an entity set (e.g. {@code new_payments}), its key field's column an alternate key; a
 * mapping may name the set's {@code primaryId} and {@code versionField} columns.
 */
public final class DynamicsProvider implements ConnectorProvider {

    @Override
    public String kind() {
        return "dynamics";
    }

    @Override
    public Connector create(ConnectorContext context) {
        return new DynamicsConnector(context);
    }
}
